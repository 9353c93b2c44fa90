/**
 * The engine worker thread: owns one engine session per workspace folder and answers the main
 * thread's requests in order. Loading the engine (ts-morph, the SDK models) happens here, once, so
 * the language server's main thread starts instantly and stays responsive while files are analysed.
 * The main thread may terminate this thread at any time (an analysis over the time budget).
 */
import * as path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createSession, discoverConfig, discoverFiles, loadConfigFile, type Config, type Session } from '../../../analyzers';
import { applyEdits, compatibleFixes, readySafeFixes } from './edits';
import type { AnalyzeResult, ConfigureResult, FixAllResult, FromWorker, ToWorker } from './worker-protocol';

const port = parentPort;
if (!port) throw new Error('the Wirecheck engine worker must run in a worker thread');

interface Folder {
  session: Session;
  config: Config;
}

const folders = new Map<string, Folder>();
/** Editor buffers (absolute path → text); applied to every session, also to sessions created later. */
const overlays = new Map<string, string>();

function send(m: FromWorker): void {
  port!.postMessage(m);
}

function folder(root: string): Folder {
  let f = folders.get(root);
  if (!f) {
    // a request for a folder that was never configured: built-in rules, no configuration file
    f = open(root, {});
    folders.set(root, f);
  }
  return f;
}

function open(root: string, config: Config): Folder {
  const session = createSession({ root, config });
  for (const [file, text] of overlays) session.updateFile(file, text);
  return { session, config };
}

function configure(root: string, trusted: boolean, configFile: string, rules: Record<string, string>): ConfigureResult {
  folders.get(root)?.session.dispose();
  let config: Config = {};
  const result: ConfigureResult = {};
  if (trusted) {
    try {
      if (configFile) {
        result.configFile = configFile;
        config = loadConfigFile(configFile);
      } else {
        const found = discoverConfig(root);
        result.configFile = found.file;
        config = found.config;
      }
    } catch (e) {
      result.error = (e as Error).message;
      const issues = (e as { issues?: { file?: unknown; line?: unknown; column?: unknown; message?: unknown; path?: unknown }[] }).issues;
      if (Array.isArray(issues) && issues.length)
        result.issues = issues
          .filter((i) => typeof i.file === 'string' && typeof i.message === 'string')
          .map((i) => ({
            file: path.resolve(root, i.file as string),
            line: typeof i.line === 'number' ? i.line : undefined,
            column: typeof i.column === 'number' ? i.column : undefined,
            message: typeof i.path === 'string' && i.path ? `${i.path}: ${i.message}` : (i.message as string),
          }));
      config = {};
    }
  }
  if (Object.keys(rules).length) config = { ...config, rules: { ...(config.rules ?? {}), ...(rules as Config['rules']) } };
  folders.set(root, open(root, config));
  if (config.taintRules?.length)
    result.packRules = config.taintRules.map((r) => ({
      id: r.id,
      description: r.description ?? r.message.replace(/\{\{(source|sink)\}\}/g, (_, k: string) => `the ${k}`),
      fullDescription: r.fullDescription ?? (r.pack ? `Defined by the rule pack ${r.pack}.` : undefined),
      docs: r.helpUri,
      cwe: r.cwe ?? [],
      owasp: r.owasp ?? [],
    }));
  return result;
}

/** A file's workspace imports followed transitively (bounded: deep chains rarely change a result). */
function dependencies(session: Session, file: string): string[] {
  const seen = new Set<string>([file]);
  let frontier = [file];
  for (let depth = 0; depth < 6 && frontier.length && seen.size < 400; depth++) {
    const next: string[] = [];
    for (const f of frontier)
      for (const d of session.importsOf(f))
        if (!seen.has(d)) {
          seen.add(d);
          next.push(d);
        }
    frontier = next;
  }
  seen.delete(file);
  return [...seen];
}

function analyze(root: string, files: string[], deps: boolean): AnalyzeResult {
  const { session } = folder(root);
  const t0 = performance.now();
  const r = session.analyze(files);
  const out: AnalyzeResult = { findings: r.findings, notices: r.notices, ms: 0 };
  if (deps) {
    out.deps = {};
    for (const f of files) out.deps[f] = dependencies(session, f);
  }
  out.ms = performance.now() - t0;
  return out;
}

function fixAll(root: string, file: string): FixAllResult {
  const { session } = folder(root);
  const rel = session.relative(file);
  const original = overlays.get(file);
  // fixes are offered for open files only (a buffer the editor sent)
  if (original === undefined) return { text: '', applied: 0 };
  let text = original;
  let applied = 0;
  try {
    for (let pass = 0; pass < 10; pass++) {
      const r = session.analyze([file]);
      const safe = readySafeFixes(r.findings.filter((f) => f.location.file === rel));
      const batch = compatibleFixes(safe, rel, text.length);
      if (!batch.length) break;
      text = applyEdits(text, batch.flatMap((f) => f.edits));
      applied += batch.length;
      session.updateFile(file, text);
    }
  } finally {
    session.updateFile(file, original);
  }
  return { text, applied };
}

function handle(m: ToWorker): void {
  switch (m.t) {
    case 'update':
      if (m.text === undefined) overlays.delete(m.file);
      else overlays.set(m.file, m.text);
      for (const f of folders.values()) f.session.updateFile(m.file, m.text);
      return;
    case 'drop':
      folders.get(m.root)?.session.dispose();
      folders.delete(m.root);
      return;
  }
  send({ t: 'started', id: m.id });
  try {
    let result: unknown;
    switch (m.t) {
      case 'configure':
        result = configure(m.root, m.trusted, m.configFile, m.rules);
        break;
      case 'analyze':
        result = analyze(m.root, m.files, m.deps);
        break;
      case 'listFiles': {
        const f = folder(m.root);
        result = discoverFiles({ root: m.root, config: f.config, paths: [] }).files.map((p) => path.resolve(m.root, p));
        break;
      }
      case 'fixAll':
        result = fixAll(m.root, m.file);
        break;
    }
    send({ t: 'done', id: m.id, result });
  } catch (e) {
    send({ t: 'failed', id: m.id, error: (e as Error).stack ?? String(e) });
  }
}

port.on('message', handle);
send({ t: 'ready' });
