/**
 * The main thread's handle on the engine worker: request/response over messages, a time budget per
 * analysis (a run still going after `stopMs` is stopped by terminating the worker, which is then
 * restarted with the same folders and buffers), and restart after a crash.
 */
import { Worker } from 'node:worker_threads';
import type { AnalyzeResult, ConfigureRequest, ConfigureResult, FixAllResult, FromWorker, ToWorker } from './worker-protocol';

export type Outcome<T> =
  | { kind: 'done'; result: T; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'failed'; error: string };

type Request = Extract<ToWorker, { id: number }>;
type Unsent = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  msg: Request;
  stopMs: number;
  startedAt?: number;
  timer?: NodeJS.Timeout;
  resolve: (o: Outcome<unknown>) => void;
}

export interface EngineHostOptions {
  workerPath: string;
  log: (message: string) => void;
  /** Called when the worker could not be kept running (repeated crashes). */
  onFatal?: (message: string) => void;
}

const NO_BUDGET = 0;

export class EngineHost {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Replayed into a restarted worker. */
  private readonly configured = new Map<string, Omit<ConfigureRequest, 'id'>>();
  private readonly overlays = new Map<string, string>();
  private crashes: number[] = [];
  private disposed = false;
  private fatal?: string;

  constructor(private readonly opts: EngineHostOptions) {}

  /** Starts the worker now (loading the engine takes a moment); requests start it anyway. */
  start(): void {
    this.ensureWorker();
  }

  configure(req: Omit<ConfigureRequest, 't' | 'id'>): Promise<Outcome<ConfigureResult>> {
    this.configured.set(req.root, { t: 'configure', ...req });
    return this.request({ t: 'configure', ...req }, NO_BUDGET) as Promise<Outcome<ConfigureResult>>;
  }

  /** A buffer's text, or undefined to read the file from disk again (closed, changed on disk). */
  update(file: string, text: string | undefined): void {
    if (text === undefined) this.overlays.delete(file);
    else this.overlays.set(file, text);
    this.post({ t: 'update', file, text });
  }

  drop(root: string): void {
    this.configured.delete(root);
    this.post({ t: 'drop', root });
  }

  analyze(root: string, files: string[], deps: boolean, stopMs: number): Promise<Outcome<AnalyzeResult>> {
    return this.request({ t: 'analyze', root, files, deps }, stopMs) as Promise<Outcome<AnalyzeResult>>;
  }

  listFiles(root: string): Promise<Outcome<string[]>> {
    return this.request({ t: 'listFiles', root }, NO_BUDGET) as Promise<Outcome<string[]>>;
  }

  fixAll(root: string, file: string, stopMs: number): Promise<Outcome<FixAllResult>> {
    return this.request({ t: 'fixAll', root, file }, stopMs) as Promise<Outcome<FixAllResult>>;
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.resolve({ kind: 'failed', error: 'the language server is shutting down' });
    }
    this.pending.clear();
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private request(unsent: Unsent, stopMs: number): Promise<Outcome<unknown>> {
    if (this.disposed) return Promise.resolve({ kind: 'failed', error: 'the language server is shutting down' });
    if (this.fatal) return Promise.resolve({ kind: 'failed', error: this.fatal });
    const msg = { ...unsent, id: this.nextId++ } as Request;
    return new Promise((resolve) => {
      this.pending.set(msg.id, { msg, stopMs, resolve });
      this.post(msg);
    });
  }

  private post(m: ToWorker): void {
    if (this.fatal || this.disposed) return;
    this.ensureWorker().postMessage(m);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(this.opts.workerPath, { stdout: true, stderr: true });
    // the engine does not print; anything it does goes to the log, never to the LSP channel
    w.stdout.on('data', (d: Buffer) => this.opts.log(d.toString().trimEnd()));
    w.stderr.on('data', (d: Buffer) => this.opts.log(d.toString().trimEnd()));
    w.on('message', (m: FromWorker) => this.onMessage(w, m));
    w.on('error', (e) => this.onCrash(w, `the engine stopped: ${e.stack ?? e.message}`));
    w.on('exit', (code) => {
      if (this.worker === w && !this.disposed) this.onCrash(w, `the engine exited unexpectedly (code ${code})`);
    });
    this.worker = w;
    // a new worker starts empty: give it the folders and buffers first, then every pending request
    for (const c of this.configured.values()) {
      const replay = [...this.pending.values()].some((p) => p.msg.t === 'configure' && p.msg.root === c.root);
      if (!replay) w.postMessage({ ...c, id: 0 });
    }
    for (const [file, text] of this.overlays) w.postMessage({ t: 'update', file, text });
    for (const p of this.pending.values()) {
      p.startedAt = undefined;
      w.postMessage(p.msg);
    }
    return w;
  }

  private onMessage(w: Worker, m: FromWorker): void {
    if (w !== this.worker || m.t === 'ready') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.t === 'started') {
      p.startedAt = performance.now();
      if (p.stopMs > NO_BUDGET) p.timer = setTimeout(() => this.onTimeout(m.id), p.stopMs);
      return;
    }
    clearTimeout(p.timer);
    this.pending.delete(m.id);
    const ms = p.startedAt === undefined ? 0 : performance.now() - p.startedAt;
    if (m.t === 'done') p.resolve({ kind: 'done', result: m.result, ms });
    else p.resolve({ kind: 'failed', error: m.error });
  }

  private onTimeout(id: number): void {
    const p = this.pending.get(id);
    if (!p || p.startedAt === undefined) return;
    this.pending.delete(id);
    const ms = performance.now() - p.startedAt;
    this.opts.log(`stopping the engine: ${describe(p.msg)} ran over the time budget (${p.stopMs} ms); restarting it`);
    this.restart();
    p.resolve({ kind: 'timeout', ms });
  }

  private onCrash(w: Worker, message: string): void {
    if (w !== this.worker) return;
    this.opts.log(message);
    const now = Date.now();
    this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
    // the request that was running when it crashed fails; the others are replayed in a new worker
    const running = [...this.pending.values()].find((p) => p.startedAt !== undefined);
    if (running) {
      clearTimeout(running.timer);
      this.pending.delete(running.msg.id);
      running.resolve({ kind: 'failed', error: message });
    }
    if (this.crashes.length > 4) {
      this.fatal = `the engine crashed ${this.crashes.length} times in a minute; restart the server (Wirecheck: Restart Server) after fixing the cause. Last error: ${message}`;
      this.opts.onFatal?.(this.fatal);
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.resolve({ kind: 'failed', error: this.fatal });
      }
      this.pending.clear();
      void this.worker?.terminate();
      this.worker = undefined;
      return;
    }
    this.restart();
  }

  private restart(): void {
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    for (const p of this.pending.values()) clearTimeout(p.timer);
    if (!this.disposed) this.ensureWorker();
  }
}

function describe(m: Request): string {
  switch (m.t) {
    case 'analyze':
      return m.files.length === 1 ? `the analysis of ${m.files[0]}` : `the analysis of ${m.files.length} files`;
    case 'fixAll':
      return `fixing ${m.file}`;
    default:
      return m.t;
  }
}
