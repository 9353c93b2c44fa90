/**
 * Whole-project scans: the incremental cache (./cache), the prefilter plan (Session.plan) and both
 * cores.
 *
 * The files that can matter are grouped by the import graph (Session.plan): no flow crosses from one
 * group to another, so groups are analysed independently: from the cache when none of their files
 * changed, and otherwise split over the main thread and a worker thread (each with its own session)
 * when there are enough of them to pay for the worker's start. Findings are merged in report order
 * and equal those of one session analysing everything (a test compares them).
 *
 * The engine (TypeScript, ts-morph) is loaded only when something must be analysed: an unchanged
 * re-scan is answered from the cache alone.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { absolutePath, hashOf, relativePath, ScanCache, type CachedResult } from './cache';
import type { Config } from './config';
import type { Finding, Notice } from './types';
import type { AnalysisResult, AnalysisStats, Session } from './session';

type SessionModule = typeof import('./session');

export interface WorkerRequest {
  id: number;
  files: string[];
}
export type WorkerReply = { id: number; result: AnalysisResult; stats: AnalysisStats; error?: undefined } | { id: number; error: string; result?: undefined; stats?: undefined };

export interface ProjectScanOptions {
  root: string;
  config: Config;
  /** The files to scan (absolute, or relative to the root), as discovery found them. */
  files: string[];
  /** The scan's arguments (cache entries are per set of targets); default the root. */
  targets?: string[];
  /** Use the cache in `<root>/.wirecheck/cache` (default false here; the CLI turns it on). */
  cache?: boolean;
  /** Part of the cache key. */
  engineVersion: string;
  /** Threads to use, the main one included (default: 2, or 1 on a single core). */
  threads?: number;
  /** Files to analyse below which no worker is started (its start costs more than it saves). */
  minFilesForWorkers?: number;
  fileBudgetMs?: number;
  maxFileBytes?: number;
}

export type CacheOutcome = 'off' | 'hit' | 'partial' | 'miss';

export interface ProjectScanStats {
  /** Milliseconds, wall clock, in the main thread. */
  cache: number;
  plan: number;
  analysis: number;
  /** Milliseconds of work summed over threads. */
  parse: number;
  facts: number;
  flow: number;
  rules: number;
  threads: number;
  cacheOutcome: CacheOutcome;
  groupsReused: number;
  groupsAnalyzed: number;
  filesScanned: number;
  filesParsed: number;
  filesAnalyzed: number;
  /** The slowest files (root-relative path, parse + analysis ms), slowest first. */
  slowest: [string, number][];
}

export const DEFAULT_MIN_FILES_FOR_WORKERS = 200;

function emptyScanStats(): ProjectScanStats {
  return { cache: 0, plan: 0, analysis: 0, parse: 0, facts: 0, flow: 0, rules: 0, threads: 1, cacheOutcome: 'off', groupsReused: 0, groupsAnalyzed: 0, filesScanned: 0, filesParsed: 0, filesAnalyzed: 0, slowest: [] };
}

/** Scans a project's files: from the cache where possible, on both cores where it pays. */
export async function scanProject(opts: ProjectScanOptions): Promise<{ result: AnalysisResult; stats: ProjectScanStats }> {
  const root = path.resolve(opts.root);
  const files = [...new Set(opts.files.map((f) => absolutePath(root, f)))];
  const stats = emptyScanStats();
  stats.filesScanned = files.length;
  const rel = (abs: string) => relativePath(root, abs);

  // 1. an unchanged project: the stored report, without loading the engine
  let t = performance.now();
  let cache: ScanCache | undefined;
  let manifest: ReturnType<ScanCache['load']>;
  let settings = '';
  const fileHashes: Record<string, string> = {};
  if (opts.cache) {
    cache = new ScanCache({ root, targets: opts.targets?.length ? opts.targets : ['.'], engineVersion: opts.engineVersion, config: opts.config, extra: [String(opts.maxFileBytes ?? ''), String(opts.fileBudgetMs ?? '')] });
    manifest = cache.prime();
    for (const f of files) fileHashes[rel(f)] = cache.hash(f) ?? '-';
    settings = cache.settings(files);
    stats.cacheOutcome = manifest ? 'partial' : 'miss';
    if (manifest && manifest.settings === settings && sameFiles(manifest.files, fileHashes)) {
      stats.cacheOutcome = 'hit';
      // files read again (modified shortly before their last read) get their new on-disk state recorded
      if (cache.reads > 0) cache.save({ settings, files: fileHashes, result: manifest.result, groups: manifest.groups });
      stats.cache = performance.now() - t;
      const r = manifest.result;
      return { result: { findings: r.findings, notices: r.notices, files: r.files }, stats };
    }
    stats.cache = performance.now() - t;
  }

  // 2. plan: which files can matter, grouped
  const threads = Math.max(1, Math.min(opts.threads ?? Math.min(2, os.availableParallelism?.() ?? os.cpus().length), 2));
  const minForWorkers = opts.minFilesForWorkers ?? DEFAULT_MIN_FILES_FOR_WORKERS;
  let worker: WorkerHandle | undefined;
  try {
    const engine = require('./session') as SessionModule;
    t = performance.now();
    const session = engine.createSession({ root, config: opts.config, fileBudgetMs: opts.fileBudgetMs, maxFileBytes: opts.maxFileBytes });
    const plan = session.plan(files);
    stats.plan = performance.now() - t;

    // 3. groups from the cache, groups to analyse
    t = performance.now();
    const groupKey = (members: string[]) => hashOf(cache?.global ?? '', settings, ...members.flatMap((m) => [rel(m), cache?.hash(m) ?? '-']));
    const keys = plan.members.map(groupKey);
    const reused: CachedResult[] = [];
    const missing: number[] = [];
    plan.components.forEach((_, i) => {
      const hit = manifest?.groups[keys[i]];
      if (hit && cache) reused.push(hit);
      else missing.push(i);
    });
    stats.groupsReused = reused.length;
    stats.groupsAnalyzed = missing.length;
    stats.cache += performance.now() - t;

    // 4. analyse: files that cannot matter (their notices) and missing groups here, some groups in the worker
    t = performance.now();
    const relevant = new Set(plan.relevant);
    const rest = files.filter((f) => !relevant.has(f));
    const sizeOf = (i: number) => plan.components[i].reduce((n, f) => n + fileSize(f), 0);
    // a worker only when there is enough to share: its start (loading the engine) costs a few hundred ms
    let [mine, theirs] = threads > 1 && missing.length > 1 && missing.reduce((n, i) => n + plan.components[i].length, 0) > minForWorkers ? split(missing, sizeOf) : [missing, []];
    if (theirs.length) worker = startWorker(root, opts);
    if (!worker) [mine, theirs] = [missing, []];
    const parts: { result: AnalysisResult; stats: AnalysisStats }[] = [];
    let pending: Promise<WorkerReply> | undefined;
    if (theirs.length && worker) {
      stats.threads = 2;
      pending = worker.analyze(theirs.flatMap((i) => plan.components[i]));
    }
    const mineSet = new Set(mine.flatMap((i) => plan.components[i]));
    parts.push(analyzeHere(session, [...rest, ...files.filter((f) => mineSet.has(f))]));
    if (pending) {
      const reply = await pending.catch((e: Error) => ({ id: -1, error: e.message }) as WorkerReply);
      if (reply.result) parts.push({ result: reply.result, stats: reply.stats });
      // the worker failed: analyse its groups here (same findings, one core)
      else parts.push(analyzeHere(session, files.filter((f) => theirs.some((i) => plan.components[i].includes(f)))));
    }
    session.dispose();
    stats.analysis = performance.now() - t;

    // 5. merge (report order, as one session returns it)
    const findings: Finding[] = [...reused.flatMap((r) => r.findings), ...parts.flatMap((p) => p.result.findings)].sort(engine.compareFindings);
    const notices: Notice[] = [...reused.flatMap((r) => r.notices), ...parts.flatMap((p) => p.result.notices)].sort(engine.compareNotices);
    const unread = new Set(notices.filter((n) => n.file && isUnreadNotice(n)).map((n) => n.file!));
    const result: AnalysisResult = { findings, notices, files: files.map(rel).filter((r) => !unread.has(r)) };
    const fileMs: Record<string, number> = {};
    for (const p of parts) {
      for (const k of ['parse', 'facts', 'flow', 'rules'] as const) stats[k] += p.stats[k];
      stats.plan += p.stats.plan;
      stats.filesParsed += p.stats.filesParsed;
      stats.filesAnalyzed += p.stats.filesAnalyzed;
      for (const [f, ms] of Object.entries(p.stats.fileMs)) fileMs[f] = (fileMs[f] ?? 0) + ms;
    }
    stats.slowest = Object.entries(fileMs).sort((a, b) => b[1] - a[1]).slice(0, 10);

    // 6. store
    if (cache) {
      t = performance.now();
      const groups: Record<string, CachedResult> = {};
      const groupOfFile = new Map<string, number>();
      plan.components.forEach((g, i) => g.forEach((f) => groupOfFile.set(rel(f), i)));
      const filelessNotice = notices.some((n) => !n.file);
      if (!filelessNotice) {
        plan.components.forEach((_, i) => (groups[keys[i]] = { findings: [], notices: [] }));
        for (const f of findings) {
          const g = groupOfFile.get(f.location.file);
          if (g !== undefined) groups[keys[g]].findings.push(f);
        }
        for (const n of notices) {
          const g = n.file !== undefined ? groupOfFile.get(n.file) : undefined;
          if (g !== undefined) groups[keys[g]].notices.push(n);
        }
      }
      cache.save({ settings, files: fileHashes, result, groups });
      stats.cache += performance.now() - t;
    }
    return { result, stats };
  } finally {
    worker?.stop();
  }
}

function analyzeHere(session: Session, files: string[]): { result: AnalysisResult; stats: AnalysisStats } {
  const result = session.analyze(files);
  return { result, stats: session.stats };
}

/** Notices that mean a file was not read as source text (it is then not listed among the scanned files). */
function isUnreadNotice(n: Notice): boolean {
  return (n.kind === 'unreadable' && /: (cannot be read|skipped, looks like a binary file)/.test(n.message)) || (n.kind === 'time-budget' && /: skipped, \d+ KB is over/.test(n.message));
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

function fileSize(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}

/** Two bins of groups with about the same amount of text (largest first, each to the lighter bin). */
function split(groups: number[], sizeOf: (i: number) => number): [number[], number[]] {
  const sized = groups.map((i) => ({ i, n: sizeOf(i) })).sort((a, b) => b.n - a.n || a.i - b.i);
  const bins: { ids: number[]; n: number }[] = [
    { ids: [], n: 0 },
    { ids: [], n: 0 },
  ];
  for (const g of sized) {
    const b = bins[0].n <= bins[1].n ? bins[0] : bins[1];
    b.ids.push(g.i);
    b.n += g.n;
  }
  return [bins[0].ids.sort((a, b) => a - b), bins[1].ids.sort((a, b) => a - b)];
}

// ───────────────────────────── the worker ─────────────────────────────

interface WorkerHandle {
  analyze(files: string[]): Promise<WorkerReply>;
  stop(): void;
}

/**
 * The worker entry: dist/worker.js next to the bundle, or worker.ts through tsx (worker-tsx.cjs) from sources.
 * Undefined when neither can be found (then everything runs in this thread).
 */
export function workerEntry(): string | undefined {
  for (const name of ['worker.js', 'worker-tsx.cjs']) {
    const file = path.join(__dirname, name);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

function startWorker(root: string, opts: ProjectScanOptions): WorkerHandle | undefined {
  const entry = workerEntry();
  if (!entry) return undefined;
  let w: Worker;
  try {
    const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    // about the main thread's stack (V8's default), so that deeply nested files parse or fail alike in both
    w = new Worker(entry, { workerData: { root, config: opts.config, fileBudgetMs: opts.fileBudgetMs, maxFileBytes: opts.maxFileBytes }, stdout: true, stderr: true, resourceLimits: { stackSizeMb: 1 } });
  } catch {
    return undefined;
  }
  w.unref();
  let settle: ((r: WorkerReply) => void) | undefined;
  let failure: string | undefined;
  const fail = (why: string) => {
    failure ??= why;
    settle?.({ id: -1, error: failure });
    settle = undefined;
  };
  w.on('message', (m: WorkerReply | { ready: true }) => {
    if ('id' in m) {
      settle?.(m);
      settle = undefined;
    }
  });
  w.on('error', (e) => fail(e.message));
  w.on('exit', (code) => fail(`worker exited with code ${code}`));
  return {
    analyze(files) {
      if (failure) return Promise.resolve({ id: -1, error: failure });
      return new Promise<WorkerReply>((resolve) => {
        settle = resolve;
        w.ref();
        w.postMessage({ id: 1, files } satisfies WorkerRequest);
      });
    },
    stop() {
      settle = undefined;
      void w.terminate();
    },
  };
}
