/**
 * The Wirecheck language server. It runs in its own process (started by the extension over node
 * IPC, or with --stdio), keeps one engine session per workspace folder in a worker thread, analyses
 * open files as they change (the newest version only; dependents after), publishes diagnostics and
 * answers code action and hover requests from the findings it recorded per document version.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Notice } from '../../../analyzers';
import {
  DIAGNOSTIC_SOURCE,
  FIX_ALL_KIND,
  ScanProgressNotification,
  ScanWorkspaceRequest,
  StatusNotification,
  TrustNotification,
  normalizeSettings,
  type InitializationOptions,
  type ScanProgressParams,
  type ScanWorkspaceParams,
  type ScanWorkspaceResult,
  type Settings,
  type StatusParams,
  type TrustParams,
} from '../shared/protocol';
import { fixAllAction, quickFixes, record, safeFixCount, wants, type OpenDocuments, type Recorded } from './code-actions';
import { resolveFindings } from '../../../analyzers/fixes/resolve';

/** Commit lookups shared by every document (one request per model and ref). */
const pinCache = new Map<string, Promise<string>>();
import { hoverFor, noticeDiagnostic, timeBudgetDiagnostic, toDiagnostic } from './diagnostics';
import { applyEdits, compatibleFixes, minimalEdit, readySafeFixes } from './edits';
import { EngineHost, type Outcome } from './engine-host';
import type { AnalyzeResult, ConfigureResult } from './worker-protocol';
import { builtinRule, ruleLookup, type RuleLookup } from './rules';

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs']);
const CONFIG_NAMES = new Set(['wirecheck.config.yaml', 'wirecheck.config.yml', 'wirecheck.config.json', 'package.json', 'tsconfig.json', 'jsconfig.json']);
/** Typing pauses shorter than this are one edit (the analysis runs on the newest text). */
const DEBOUNCE_MS = 0;
/** Files per engine call in a workspace scan (open files are analysed between two calls). */
const SCAN_CHUNK = 20;

type Trigger = 'open' | 'save' | 'change' | 'dependent' | 'config' | 'disk';
const URGENT: ReadonlySet<Trigger> = new Set(['open', 'save', 'change']);

interface DocState {
  /** Version last sent to the engine (undefined: not sent since it opened). */
  synced?: number;
  /** Workspace files this document depends on (its imports, transitively). */
  deps: Set<string>;
  /** Ran over the stop budget: analysed again only when saved. */
  slow: boolean;
}

export function isSourcePath(p: string): boolean {
  const lower = p.toLowerCase();
  if (/\.d\.[mc]?ts$/.test(lower)) return false;
  if (lower.split(/[\\/]/).includes('node_modules')) return false;
  return SOURCE_EXTENSIONS.has(path.extname(lower));
}

export function isConfigPath(p: string): boolean {
  const name = path.basename(p).toLowerCase();
  return CONFIG_NAMES.has(name) || /\.wirecheck\.ya?ml$/.test(name);
}

function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function within(dir: string, p: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const docState = new Map<string, DocState>();
  const recorded = new Map<string, Recorded>();
  /** Closed files that have diagnostics from a workspace scan (path → URI). */
  const scanned = new Map<string, string>();
  const settingsCache = new Map<string, Promise<Settings>>();
  const configured = new Map<string, Promise<ConfigureResult>>();
  /** Rule metadata per folder: built-in rules and the rules of its packs. */
  const rulesByRoot = new Map<string, RuleLookup>();
  const rulesFor = (root: string) => rulesByRoot.get(root) ?? builtinRule;
  /** Configuration problems by folder: the URI the error is shown on and the message. */
  const configErrors = new Map<string, { uris: string[]; message: string }>();
  const pending = new Map<string, Trigger>();
  const scanWaiters: (() => void)[] = [];
  let folders: string[] = [];
  let trusted = true;
  let canPullConfiguration = false;
  let folderEvents = false;
  let running = false;
  let debounce: NodeJS.Timeout | undefined;
  let busyTimer: NodeJS.Timeout | undefined;
  let busy = false;
  let disabledEverywhere = false;
  let fatal: string | undefined;
  let lastNotice: string | undefined;
  let shuttingDown = false;

  const log = (m: string) => connection.console.log(m);
  const host = new EngineHost({
    workerPath: path.join(__dirname, 'server-worker.js'),
    log,
    onFatal: (m) => {
      fatal = m;
      sendStatus();
    },
  });

  const open: OpenDocuments = {
    byPath(file) {
      for (const d of documents.all()) if (pathOf(d.uri) === file) return d;
      return undefined;
    },
  };
  const uriFor = (root: string) => (rel: string) => {
    const abs = path.resolve(root, rel);
    return open.byPath(abs)?.uri ?? pathToFileURL(abs).href;
  };

  function rootFor(file: string): string {
    let best: string | undefined;
    for (const f of folders) if (within(f, file) && (!best || f.length > best.length)) best = f;
    return best ?? path.dirname(file);
  }

  function settingsFor(root: string): Promise<Settings> {
    let s = settingsCache.get(root);
    if (!s) {
      s = canPullConfiguration
        ? connection.workspace.getConfiguration({ scopeUri: pathToFileURL(root).href, section: 'wirecheck' }).then(normalizeSettings, () => normalizeSettings({}))
        : Promise.resolve(normalizeSettings({}));
      settingsCache.set(root, s);
    }
    return s;
  }

  function ensureConfigured(root: string): Promise<ConfigureResult> {
    let c = configured.get(root);
    if (!c) {
      c = (async () => {
        const settings = await settingsFor(root);
        const configFile = trusted && settings.configFile ? path.resolve(root, settings.configFile) : '';
        const o = await host.configure({ root, trusted, configFile, rules: settings.rules });
        const result: ConfigureResult = o.kind === 'done' ? o.result : { error: o.kind === 'failed' ? o.error : 'configuration timed out' };
        rulesByRoot.set(root, ruleLookup(result.packRules));
        showConfigProblem(root, result);
        return result;
      })();
      configured.set(root, c);
    }
    return c;
  }

  function showConfigProblem(root: string, result: ConfigureResult): void {
    for (const uri of configErrors.get(root)?.uris ?? []) connection.sendDiagnostics({ uri, diagnostics: [] });
    configErrors.delete(root);
    if (result.error) {
      // the problems on the files they are in (the configuration or a pack it extends), at their lines;
      // otherwise the whole message on the file it starts with (ConfigError messages name their file)
      const byFile = new Map<string, Diagnostic[]>();
      const add = (file: string, line: number, column: number, message: string) => {
        const uri = pathToFileURL(file).href;
        const at = { line: Math.max(0, line), character: Math.max(0, column) };
        byFile.set(uri, [...(byFile.get(uri) ?? []), { range: { start: at, end: at }, severity: 1, source: DIAGNOSTIC_SOURCE, code: 'config', message }]);
      };
      for (const i of result.issues ?? []) add(i.file, (i.line ?? 1) - 1, (i.column ?? 1) - 1, `${i.message}. Wirecheck uses its built-in rules until this is fixed.`);
      if (!byFile.size) {
        const file = result.configFile ?? (/^(\/[^:\n]+|[A-Za-z]:\\[^:\n]+): /.exec(result.error)?.[1] || undefined);
        if (file) add(file, 0, 0, `${result.error}. Wirecheck uses its built-in rules until this is fixed.`);
      }
      for (const [uri, diagnostics] of byFile) connection.sendDiagnostics({ uri, diagnostics });
      configErrors.set(root, { uris: [...byFile.keys()], message: result.error });
      log(`configuration problem: ${result.error} (using the built-in rules)`);
    } else if (result.configFile) log(`${root}: using ${result.configFile}`);
    sendStatus();
  }

  function sendStatus(): void {
    let p: StatusParams;
    if (fatal) p = { state: 'error', message: fatal };
    else if (disabledEverywhere) p = { state: 'disabled', message: 'Wirecheck is turned off (wirecheck.enable)' };
    else if (configErrors.size) p = { state: 'error', message: [...configErrors.values()][0].message };
    else if (busy) p = { state: 'busy', message: 'Analysing…' };
    else if (!trusted) p = { state: 'restricted', message: 'Restricted Mode: built-in rules only; the workspace configuration and rule packs are not loaded' };
    else p = { state: 'ready', message: lastNotice };
    void connection.sendNotification(StatusNotification, p);
  }

  function setBusy(on: boolean): void {
    clearTimeout(busyTimer);
    if (on) {
      // only an analysis that takes a while shows in the status bar (no flicker while typing)
      busyTimer = setTimeout(() => {
        busy = true;
        sendStatus();
      }, 400);
    } else if (busy) {
      busy = false;
      sendStatus();
    }
  }

  function state(file: string): DocState {
    let s = docState.get(file);
    if (!s) {
      s = { deps: new Set(), slow: false };
      docState.set(file, s);
    }
    return s;
  }

  /** Sends every changed buffer to the engine; returns nothing, the engine queue keeps the order. */
  function syncDocuments(): void {
    for (const d of documents.all()) {
      const p = pathOf(d.uri);
      if (!p || !isSourcePath(p)) continue;
      const s = state(p);
      if (s.synced !== d.version) {
        host.update(p, d.getText());
        s.synced = d.version;
      }
    }
  }

  function dependentsOf(file: string): string[] {
    const out: string[] = [];
    for (const [p, s] of docState) if (p !== file && s.deps.has(file) && open.byPath(p)) out.push(p);
    return out;
  }

  function schedule(file: string, trigger: Trigger, delay = 0): void {
    const prev = pending.get(file);
    if (!prev || URGENT.has(trigger) || !URGENT.has(prev)) {
      pending.delete(file);
      pending.set(file, prev === 'open' || prev === 'save' ? prev : trigger);
    }
    clearTimeout(debounce);
    if (delay > 0) debounce = setTimeout(pump, delay);
    else setImmediate(pump);
  }

  function pump(): void {
    if (running || shuttingDown) return;
    let next: [string, Trigger] | undefined;
    for (const e of pending) if (URGENT.has(e[1])) {
      next = e;
      break;
    }
    next ??= pending.entries().next().value;
    if (next) {
      pending.delete(next[0]);
      running = true;
      void validate(next[0], next[1])
        .catch((e) => log(`internal error while analysing ${next![0]}: ${(e as Error).stack ?? e}`))
        .finally(() => {
          running = false;
          pump();
        });
      return;
    }
    const waiter = scanWaiters.shift();
    if (waiter) {
      running = true;
      waiter();
    }
  }

  /** Runs `fn` when no document is waiting (workspace scan chunks yield to open files). */
  async function whenIdle<T>(fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      scanWaiters.push(resolve);
      setImmediate(pump);
    });
    try {
      return await fn();
    } finally {
      running = false;
      setImmediate(pump);
    }
  }

  function publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    void connection.sendDiagnostics(version === undefined ? { uri, diagnostics } : { uri, version, diagnostics });
  }

  function diagnosticsFor(root: string, file: string, result: AnalyzeResult, version: number, text: string | undefined): { diagnostics: Diagnostic[]; findings: Finding[] } {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const findings = result.findings.filter((f) => f.location.file === rel);
    const diagnostics = findings.map((f) => toDiagnostic(f, version, uriFor(root), rulesFor(root)));
    const lines = text?.split('\n');
    const lineLength = (l: number) => (lines?.[l] ?? '').replace(/\r$/, '').length;
    for (const n of result.notices as Notice[]) {
      const d = noticeDiagnostic(n, rel, lineLength);
      if (d) diagnostics.push(d);
    }
    return { diagnostics, findings };
  }

  async function validate(file: string, trigger: Trigger): Promise<void> {
    const doc = open.byPath(file);
    const root = rootFor(file);
    await ensureConfigured(root);
    const settings = await settingsFor(root);
    if (!doc) {
      // a closed file with workspace-scan diagnostics: analyse what is on disk
      const uri = scanned.get(file);
      if (!uri) return;
      if (!settings.enable) {
        publish(uri, []);
        return;
      }
      const o = await host.analyze(root, [file], false, settings.timeBudget.stopMs);
      if (o.kind === 'done') publish(uri, diagnosticsFor(root, file, o.result, 0, undefined).diagnostics);
      return;
    }
    if (!settings.enable) {
      publish(doc.uri, []);
      recorded.delete(doc.uri);
      return;
    }
    if (settings.run === 'onSave' && trigger === 'change') return;
    const s = state(file);
    if (s.slow && trigger !== 'save' && trigger !== 'open') return;
    syncDocuments();
    const version = doc.version;
    setBusy(true);
    let o: Outcome<AnalyzeResult>;
    try {
      o = await host.analyze(root, [file], true, settings.timeBudget.stopMs);
    } finally {
      setBusy(false);
    }
    const current = open.byPath(file);
    if (o.kind === 'timeout') {
      s.slow = true;
      const rel = path.relative(root, file);
      lastNotice = `${rel}: analysis stopped after ${Math.round(o.ms)} ms (time budget ${settings.timeBudget.stopMs} ms); analysed on save only`;
      connection.console.warn(lastNotice);
      sendStatus();
      if (current) {
        recorded.delete(current.uri);
        publish(current.uri, [timeBudgetDiagnostic(settings.timeBudget.stopMs, true)], current.version);
      }
      return;
    }
    if (o.kind === 'failed') {
      log(`analysis of ${file} failed: ${o.error}`);
      return;
    }
    if (!current || current.version !== version) return; // superseded: the newer version is pending
    s.slow = false;
    const rel = path.relative(root, file);
    if (o.ms > settings.timeBudget.warnMs) {
      lastNotice = `${rel}: analysis took ${Math.round(o.ms)} ms (over wirecheck.timeBudget.warnMs, ${settings.timeBudget.warnMs} ms)`;
      connection.console.warn(lastNotice);
      sendStatus();
    }
    const { diagnostics, findings } = diagnosticsFor(root, file, o.result, version, current.getText());
    const rec = record(current.uri, version, root, rel.split(path.sep).join('/'), findings, diagnostics, open);
    recorded.set(current.uri, rec);
    if (findings.some((f) => f.fixes.some((x) => x.resolve))) void resolvePins(rec);
    publish(current.uri, diagnostics, version);
    s.deps = new Set(o.result.deps?.[file] ?? []);
    if (trigger === 'change' || trigger === 'save') for (const d of dependentsOf(file)) schedule(d, 'dependent');
  }

  /**
   * Fixes that pin a model revision hold a placeholder until the commit is looked up on the Hugging
   * Face Hub (`HF_ENDPOINT`); resolved ones replace it in the recorded findings of that document
   * version, unresolvable ones are dropped and the output channel says how to find the commit.
   */
  async function resolvePins(rec: Recorded): Promise<void> {
    try {
      const { findings, failures } = await resolveFindings(rec.findings, { env: process.env, cache: pinCache });
      if (recorded.get(rec.uri) !== rec) return;
      rec.findings.splice(0, rec.findings.length, ...findings);
      for (const [k, f] of rec.byKey) {
        const i = findings.findIndex((x) => x.fingerprint === f.fingerprint);
        if (i >= 0) rec.byKey.set(k, findings[i]);
      }
      for (const x of failures) log(`cannot pin ${x.fix.resolve!.model}@${x.fix.resolve!.ref}: ${x.error}. ${x.help}`);
    } catch (e) {
      log(`resolving model revisions failed: ${(e as Error).message}`);
    }
  }

  function revalidateAll(trigger: Trigger): void {
    for (const d of documents.all()) {
      const p = pathOf(d.uri);
      if (p && isSourcePath(p)) schedule(p, trigger);
    }
    for (const p of scanned.keys()) if (!open.byPath(p)) schedule(p, trigger);
  }

  function reconfigure(roots?: string[]): void {
    for (const r of roots ?? [...configured.keys()]) configured.delete(r);
    void refreshEnabled();
    revalidateAll('config');
  }

  async function refreshEnabled(): Promise<void> {
    const roots = folders.length ? folders : [...new Set([...docState.keys()].map(rootFor))];
    const all = await Promise.all(roots.map(settingsFor));
    disabledEverywhere = all.length > 0 && all.every((s) => !s.enable);
    sendStatus();
  }

  async function analyzeChunk(root: string, files: string[], stopMs: number): Promise<{ results: AnalyzeResult[]; skipped: string[] }> {
    const o = await host.analyze(root, files, false, stopMs);
    if (o.kind === 'done') return { results: [o.result], skipped: [] };
    if (files.length === 1) {
      log(`workspace scan: skipped ${files[0]}: ${o.kind === 'timeout' ? `over the time budget (${stopMs} ms)` : o.error}`);
      return { results: [], skipped: files };
    }
    // find the file that ran long (or broke the engine) by halving, and analyse the rest
    const mid = Math.ceil(files.length / 2);
    const a = await analyzeChunk(root, files.slice(0, mid), stopMs);
    const b = await analyzeChunk(root, files.slice(mid), stopMs);
    return { results: [...a.results, ...b.results], skipped: [...a.skipped, ...b.skipped] };
  }

  async function scanWorkspace(params: ScanWorkspaceParams, isCancelled: () => boolean): Promise<ScanWorkspaceResult> {
    const t0 = performance.now();
    const roots = folders.length ? folders : [...new Set(documents.all().map((d) => pathOf(d.uri)).filter((p): p is string => !!p).map(rootFor))];
    const plan: { root: string; files: string[]; settings: Settings }[] = [];
    for (const root of roots) {
      const settings = await settingsFor(root);
      if (!settings.enable) continue;
      await ensureConfigured(root);
      const listed = await host.listFiles(root);
      if (listed.kind === 'done') plan.push({ root, files: listed.result, settings });
      else log(`workspace scan: cannot list the files of ${root}: ${listed.kind === 'failed' ? listed.error : 'timeout'}`);
    }
    const total = plan.reduce((n, p) => n + p.files.length, 0);
    const result: ScanWorkspaceResult = { files: total, findings: 0, filesWithFindings: 0, cancelled: false, skipped: [], ms: 0 };
    let done = 0;
    void connection.sendNotification(ScanProgressNotification, { token: params.token, done, total } satisfies ScanProgressParams);
    outer: for (const { root, files, settings } of plan) {
      for (let i = 0; i < files.length; i += SCAN_CHUNK) {
        if (isCancelled() || shuttingDown) {
          result.cancelled = true;
          break outer;
        }
        const chunk = files.slice(i, i + SCAN_CHUNK);
        const r = await whenIdle(async () => {
          syncDocuments();
          return analyzeChunk(root, chunk, settings.timeBudget.stopMs);
        });
        result.skipped.push(...r.skipped.map((f) => path.relative(root, f)));
        const merged: AnalyzeResult = { findings: r.results.flatMap((x) => x.findings), notices: r.results.flatMap((x) => x.notices), ms: 0 };
        for (const f of chunk) {
          const { diagnostics, findings } = diagnosticsFor(root, f, merged, 0, undefined);
          result.findings += findings.length;
          if (findings.length) result.filesWithFindings++;
          if (open.byPath(f)) continue; // open files show their live analysis
          const uri = pathToFileURL(f).href;
          if (diagnostics.length || scanned.has(f)) {
            publish(uri, diagnostics);
            if (diagnostics.length) scanned.set(f, uri);
            else scanned.delete(f);
          }
        }
        done += chunk.length;
        void connection.sendNotification(ScanProgressNotification, { token: params.token, done, total } satisfies ScanProgressParams);
      }
    }
    result.ms = Math.round(performance.now() - t0);
    log(`workspace scan: ${result.files} files, ${result.findings} findings in ${result.filesWithFindings} files, ${result.ms} ms${result.cancelled ? ' (cancelled)' : ''}`);
    return result;
  }

  // ───────────────────────────── LSP wiring ─────────────────────────────

  connection.onInitialize((params): InitializeResult => {
    const opts = (params.initializationOptions ?? {}) as Partial<InitializationOptions>;
    trusted = opts.trusted !== false;
    folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((p): p is string => !!p);
    if (!folders.length && params.rootUri) {
      const p = pathOf(params.rootUri);
      if (p) folders = [p];
    }
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    folderEvents = !!params.capabilities.workspace?.workspaceFolders;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'wirecheck', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    host.start();
    if (canPullConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'wirecheck' });
    if (folderEvents)
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const r of e.removed) {
          const p = pathOf(r.uri);
          if (!p) continue;
          folders = folders.filter((f) => f !== p);
          host.drop(p);
          configured.delete(p);
          settingsCache.delete(p);
        }
        for (const a of e.added) {
          const p = pathOf(a.uri);
          if (p && !folders.includes(p)) folders.push(p);
        }
        revalidateAll('config');
      });
    void refreshEnabled();
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    reconfigure();
  });

  connection.onNotification(TrustNotification, (p: TrustParams) => {
    if (trusted === p.trusted) return;
    trusted = p.trusted;
    log(trusted ? 'the workspace is trusted: loading its configuration' : 'Restricted Mode: built-in rules only');
    reconfigure();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const roots = new Set<string>();
    for (const c of changes) {
      const p = pathOf(c.uri);
      if (!p) continue;
      if (isConfigPath(p)) {
        for (const r of configured.keys()) if (within(r, p) || within(path.dirname(p), r) || /\.wirecheck\.ya?ml$/i.test(p)) roots.add(r);
        continue;
      }
      if (!isSourcePath(p) || open.byPath(p)) continue;
      host.update(p, undefined);
      for (const d of dependentsOf(p)) schedule(d, 'dependent');
      if (scanned.has(p)) schedule(p, 'disk');
    }
    if (roots.size) reconfigure([...roots]);
  });

  documents.onDidOpen((e) => {
    const p = pathOf(e.document.uri);
    if (p && isSourcePath(p)) schedule(p, 'open');
  });
  documents.onDidChangeContent((e) => {
    const p = pathOf(e.document.uri);
    if (p && isSourcePath(p) && docState.get(p)?.synced !== undefined) schedule(p, 'change', DEBOUNCE_MS);
  });
  documents.onDidSave((e) => {
    const p = pathOf(e.document.uri);
    if (p && isSourcePath(p)) schedule(p, 'save');
  });
  documents.onDidClose((e) => {
    const p = pathOf(e.document.uri);
    recorded.delete(e.document.uri);
    if (!p || !isSourcePath(p)) return;
    pending.delete(p);
    const s = docState.get(p);
    docState.delete(p);
    if (s?.synced !== undefined) host.update(p, undefined);
    for (const d of dependentsOf(p)) schedule(d, 'dependent');
    if (scanned.has(p)) schedule(p, 'disk');
    else publish(e.document.uri, []);
  });

  connection.onHover((params) => {
    const rec = recorded.get(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!rec || !doc || doc.version !== rec.version) return null;
    return hoverFor(rec.findings, params.position.line, params.position.character, rulesFor(rec.root)) ?? null;
  });

  connection.onCodeAction(async (params) => {
    const uri = params.textDocument.uri;
    const doc = documents.get(uri);
    const file = pathOf(uri);
    if (!doc || !file || !isSourcePath(file)) return [];
    const rec = recorded.get(uri);
    const current = rec && rec.version === doc.version ? rec : undefined;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    if (current && wants(only, CodeActionKind.QuickFix)) actions.push(...quickFixes(current, doc, params.context.diagnostics, open, rulesFor(current.root)));
    // fix-all when asked for explicitly (on save, Source Action…), computed on the current text even
    // if the last analysis is older (a save right after typing); in the light bulb only when known
    const explicit = !!only?.length && wants(only, FIX_ALL_KIND);
    if (!explicit && !only?.length && current && safeFixCount(current) > 1) {
      // light bulb: one pass over the recorded fixes, no new analysis
      const rel = current.rel;
      const batch = compatibleFixes(readySafeFixes(current.findings), rel, doc.getText().length);
      const edit = minimalEdit(doc.getText(), applyEdits(doc.getText(), batch.flatMap((f) => f.edits)));
      if (batch.length > 1 && edit) actions.push(fixAllAction(uri, doc.version, edit, doc, batch.length));
    }
    if (explicit) {
      const root = rootFor(file);
      const settings = await settingsFor(root);
      if (!settings.enable) return actions;
      await ensureConfigured(root);
      syncDocuments();
      const version = doc.version;
      const o = await host.fixAll(root, file, settings.timeBudget.stopMs);
      const now = documents.get(uri);
      if (o.kind === 'done' && o.result.applied > 0 && now && now.version === version) {
        const edit = minimalEdit(now.getText(), o.result.text);
        if (edit) actions.push(fixAllAction(uri, version, edit, now, o.result.applied));
      }
    }
    return actions;
  });

  connection.onRequest(ScanWorkspaceRequest, (params: ScanWorkspaceParams, token) => scanWorkspace(params, () => token.isCancellationRequested));

  connection.onShutdown(() => {
    shuttingDown = true;
    host.dispose();
  });

  documents.listen(connection);
  connection.listen();
  sendStatus();
}

if (require.main === module) startServer(createConnection(ProposedFeatures.all));
