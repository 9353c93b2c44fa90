/**
 * The engine's one API: a session for a root folder. Update a file's text (editor buffer, staged
 * blob), analyse files, get findings, dispose. Parsing goes through ts-morph over an overlay file
 * system; projects are created lazily per tsconfig and files are added on demand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';
import { OverlayFileSystem, decodeText, looksBinary, type TextSource } from './overlay';
import { relativePath, SETTINGS_FILE } from './cache';
import { composeRegistry, simpleHash, type ModelRegistry } from './models';
import type { Config } from './config';
import { parseDirectives, directiveMatches, type Directive } from './suppress';
import type { Finding, Fix, Location, Notice, PathStep, Severity } from './types';
import { buildFixes } from '../fixes';
import { detectStyle, type Style } from '../fixes/style';
import { deepLabels } from '../flow/value';
import { ModuleInfo } from '../facts/module';
import { Analyzer, BudgetExceeded, type RawFinding } from '../flow/analyzer';
import { Prefilter, textSpecifiers } from './prefilter';
import { SOURCE_EXTENSIONS } from './discover';
import type { Label } from '../flow/value';
import { ruleForCategory, rulesForConfig, type RuleMeta } from '../rules';
import { globMatcher, hostAllowed, modelPolicyFor, registryForConfig, resolveConfig, ruleSettingFor, taintMatchers } from './packs';

export const ENGINE_VERSION = '0.1.0';

export { SOURCE_EXTENSIONS };

/** Default per-file budget for parsing and analysing one file (milliseconds). */
export const DEFAULT_FILE_BUDGET_MS = 10_000;

export interface SessionOptions {
  root: string;
  config?: Config;
  registry?: ModelRegistry;
  /**
   * Per-file budget for parsing and analysing one file, in milliseconds (default 10 s): the analysis
   * of a file over it stops, the file is named in a notice, and every other file is still analysed.
   */
  fileBudgetMs?: number;
  /**
   * Analyse only files that can matter (default true): those whose text or transitive imports touch
   * an API that starts a finding, and the helpers they call; other files are not parsed. Findings
   * are the same either way; `false` analyses every file (for comparison).
   */
  prefilter?: boolean;
  /** Files larger than this are skipped with a notice (bytes). */
  maxFileBytes?: number;
  /**
   * Where file text comes from before the disk (e.g. the git index for `scan --staged`): return the
   * text, null when the file does not exist there, or undefined to read the disk.
   */
  source?: TextSource;
}

export interface AnalysisResult {
  findings: Finding[];
  notices: Notice[];
  files: string[];
}

/** Where the time of an analysis went (milliseconds), and the slowest files. */
export interface AnalysisStats {
  /** Reading files and the import-graph prefilter. */
  plan: number;
  parse: number;
  /** Per-file facts (imports, exports, calls) and cross-file preparation. */
  facts: number;
  /** Taint flow, per file and across functions. */
  flow: number;
  /** Findings: rules, suppressions, fixes. */
  rules: number;
  /** Files read, files parsed and analysed. */
  filesRead: number;
  filesParsed: number;
  filesAnalyzed: number;
  /** Parse and analysis time per file (root-relative path → ms), for the files analysed. */
  fileMs: Record<string, number>;
}

/** Which files to analyse, and the groups of files that are analysed independently of each other. */
export interface ScanPlan {
  /** Absolute paths (of the requested files) that can matter, in the requested order. */
  relevant: string[];
  /**
   * Relevant files grouped by the import graph (undirected): no flow crosses between groups, so each
   * group can be analysed on its own (in another worker, or from the cache) with the same findings.
   */
  components: string[][];
  /** Every file of each group (parallel to `components`), including files the requested ones import. */
  members: string[][];
  /** Resolved workspace imports of every file read (absolute paths), the requested files and what they import. */
  imports: Map<string, string[]>;
  /**
   * The relevant files analysed from the start: those that touch an anchor API or import one that does
   * (directly or not), and component files (JSX uses are collected before any analysis). The other
   * relevant files are helpers; each is analysed once an analysed file's evaluation reaches into it.
   */
  eager: string[];
}

interface ParsedModule {
  text: string;
  mod?: ModuleInfo;
  notice?: Notice;
}

export class Session {
  readonly root: string;
  readonly registry: ModelRegistry;
  readonly config: Config;
  private readonly fsHost: OverlayFileSystem;
  private readonly projects = new Map<string, Project>();
  private readonly tsconfigByDir = new Map<string, string | undefined>();
  private readonly parsed = new Map<string, ParsedModule>();
  private readonly resolveCache = new Map<string, string | undefined>();
  private resolution = new WeakMap<Project, { options: ts.CompilerOptions; host: ts.ModuleResolutionHost; cache: ts.ModuleResolutionCache }>();
  private readonly styles = new WeakMap<ts.SourceFile, Style>();
  private readonly depsByDir = new Map<string, ReadonlySet<string>>();
  private readonly maxFileBytes: number;
  private readonly fileBudgetMs: number;
  private readonly usePrefilter: boolean;
  private readonly hasSource: boolean;
  private prefilterImpl?: Prefilter;
  private readonly texts = new Map<string, { text?: string; notice?: Notice }>();
  private readonly planned = new Map<string, { specs: string[]; anchor: boolean; deps: string[] }>();
  /** Time spent in the last `analyze` (and in parsing on demand during it). */
  stats: AnalysisStats = emptyStats();
  private disposed = false;

  constructor(opts: SessionOptions) {
    this.root = path.resolve(opts.root);
    // a configuration given as data may still name packs to extend: resolve them from the root
    this.config = opts.config?.extends !== undefined ? resolveConfig(opts.config, this.root) : (opts.config ?? {});
    this.registry = opts.registry
      ? this.config.models?.length
        ? composeRegistry(opts.registry, this.config.models, globMatcher)
        : opts.registry
      : registryForConfig(this.config);
    this.maxFileBytes = opts.maxFileBytes ?? 2_000_000;
    this.fileBudgetMs = opts.fileBudgetMs ?? DEFAULT_FILE_BUDGET_MS;
    this.usePrefilter = opts.prefilter ?? true;
    this.fsHost = new OverlayFileSystem(opts.source);
    this.hasSource = !!opts.source;
  }

  /** Sets a file's text from an editor buffer or a staged blob; `null` marks it deleted, `undefined` reverts to disk. */
  updateFile(file: string, text: string | null | undefined): void {
    const abs = path.resolve(this.root, file);
    const existed = this.fsHost.fileExistsSync(abs);
    this.fsHost.set(abs, text);
    // an edited buffer is re-parsed incrementally from its last tree (unchanged subtrees are reused)
    const last = this.parsed.get(abs)?.mod?.sf;
    if (typeof text !== 'string') this.previousTrees.delete(abs);
    else if (last) this.previousTrees.set(abs, last);
    this.parsed.delete(abs);
    this.texts.delete(abs);
    // new text changes this file's imports and anchors; a file appearing or disappearing (or a project
    // settings file) can change how every import resolves
    this.planned.delete(abs);
    if (existed !== this.fsHost.fileExistsSync(abs) || SETTINGS_FILE.test(path.basename(abs))) {
      this.planned.clear();
      this.resolveCache.clear();
      this.resolution = new WeakMap();
    }
  }

  /** Analyses the given files (absolute or root-relative) and returns findings located in them. */
  analyze(files: string[]): AnalysisResult {
    if (this.disposed) throw new Error('session disposed');
    const abs = [...new Set(files.map((f) => path.resolve(this.root, f)))];
    const stats = (this.stats = emptyStats());
    const notices: Notice[] = [];
    const policy = modelPolicyFor(this.config);
    const analyzer = new Analyzer(
      this.registry,
      {
        getModule: (p) => this.module(p),
        resolveImport: (s, from) => this.resolveImport(s, from),
      },
      {
        // flows no built-in rule reports are recorded only when a pack's taint rule may claim them
        allFlows: taintMatchers(this.config).length > 0,
        modelPolicy: policy && { ...policy, hostAllowed: (h: string) => hostAllowed(h, policy.allowedHosts ?? []) },
      },
    );
    let t = performance.now();
    const planned = this.usePrefilter ? this.plan(abs) : undefined;
    const relevant = new Set(planned ? planned.relevant : abs);
    const eager = new Set(planned ? planned.eager : abs);
    const texts: { rel: string; text: string }[] = [];
    for (const f of abs) {
      const loaded = this.load(f);
      if (loaded.notice) notices.push(loaded.notice);
      if (loaded.text !== undefined) texts.push({ rel: this.relative(f), text: loaded.text });
    }
    stats.plan += performance.now() - t;
    const mods: ModuleInfo[] = [];
    for (const f of abs) {
      if (!eager.has(f) || this.load(f).notice) continue;
      const pm = this.parse(f);
      if (pm.notice) notices.push(pm.notice);
      if (pm.mod) mods.push(pm.mod);
    }
    stats.filesRead = texts.length;
    // a file over its budget (parse included) is named in a notice and its analysis stops there
    const spent = new Map<ModuleInfo, number>();
    const overBudget = new Set<ModuleInfo>();
    const budgeted = (m: ModuleInfo, phase: 'facts' | 'flow', run: () => void): void => {
      if (overBudget.has(m)) return;
      const parseMs = stats.fileMs[m.rel] ?? 0;
      const before = spent.get(m) ?? parseMs;
      const remaining = this.fileBudgetMs - before;
      const start = performance.now();
      const parsedBefore = stats.parse + stats.facts;
      try {
        if (remaining <= 0) throw new BudgetExceeded();
        analyzer.deadline = Date.now() + remaining;
        run();
      } catch (e) {
        if (e instanceof BudgetExceeded) {
          overBudget.add(m);
          notices.push({ kind: 'time-budget', file: m.rel, message: `${m.rel}: analysis stopped at the ${this.fileBudgetMs} ms budget for one file; findings in it may be incomplete` });
        } else if (!(e instanceof RangeError)) notices.push({ kind: 'unreadable', file: m.rel, message: `analysis of ${m.rel} failed: ${(e as Error).message}` });
        else notices.push({ kind: 'unreadable', file: m.rel, message: `analysis of ${m.rel} failed: nesting too deep` });
      } finally {
        analyzer.deadline = 0;
        const ms = performance.now() - start;
        const nested = stats.parse + stats.facts - parsedBefore;
        stats[phase] += ms - nested;
        spent.set(m, before + ms);
        stats.fileMs[m.rel] = before + ms;
      }
    };
    const analyzed = new Set<string>();
    const analyzeAll = (list: ModuleInfo[]) => {
      for (const m of list) analyzed.add(m.path);
      for (const m of list) budgeted(m, 'facts', () => analyzer.prepare([m]));
      for (const m of list) {
        if (!this.mayMatter(m)) continue;
        stats.filesAnalyzed++;
        budgeted(m, 'flow', () => analyzer.analyzeModule(m));
      }
    };
    analyzeAll(mods);
    // helpers (relevant files no anchor is reached from) once evaluation has reached into them: their
    // sinks reached through parameters and the calls they make; in the requested order, to a fixed point
    if (relevant.size > eager.size) {
      const order = new Map(abs.map((f, i) => [f, i]));
      for (;;) {
        const reached: [string, ParsedModule][] = [];
        for (const [f, pm] of this.parsed) if (relevant.has(f) && !eager.has(f) && !analyzed.has(f)) reached.push([f, pm]);
        if (!reached.length) break;
        reached.sort((a, b) => order.get(a[0])! - order.get(b[0])!);
        for (const [f, pm] of reached) {
          analyzed.add(f);
          if (pm.notice) notices.push(pm.notice);
        }
        analyzeAll(reached.flatMap(([, pm]) => (pm.mod ? [pm.mod] : [])));
      }
    }
    t = performance.now();
    const parsedBefore = stats.parse + stats.facts;
    try {
      // across functions and files: a budget for the whole step, a few files' worth
      analyzer.deadline = Date.now() + this.fileBudgetMs * 3;
      analyzer.propagate();
    } catch (e) {
      if (e instanceof BudgetExceeded) notices.push({ kind: 'time-budget', message: `cross-function analysis stopped at its ${this.fileBudgetMs * 3} ms budget; findings reached through calls between functions may be incomplete` });
      else notices.push({ kind: 'unreadable', message: `cross-function analysis failed: ${(e as Error).message}` });
    } finally {
      analyzer.deadline = 0;
    }
    stats.flow += performance.now() - t - (stats.parse + stats.facts - parsedBefore);
    t = performance.now();
    const inScope = new Set(abs);
    const raw = analyzer.findings.filter((r) => inScope.has(r.mod.path));
    const findings = this.finish(raw, texts, notices, analyzer);
    stats.rules += performance.now() - t;
    notices.sort(compareNotices);
    return { findings, notices, files: texts.map((x) => x.rel) };
  }

  /**
   * Reads the requested files and everything they import (text only, no parse), and decides which
   * files can matter: a file whose text touches an API that starts a finding (see ./prefilter), a
   * file that imports such a file (directly or not: it may pass its own sources to a helper there),
   * and every file those import (their helpers hold sinks reached through parameters). Other files
   * cannot produce or contribute to a finding and are not parsed.
   */
  plan(files: readonly string[]): ScanPlan {
    const abs = [...new Set(files.map((f) => path.resolve(this.root, f)))];
    const imports = new Map<string, string[]>();
    const anchors: string[] = [];
    const work = [...abs];
    while (work.length) {
      const f = work.pop()!;
      if (imports.has(f)) continue;
      const node = this.planNode(f);
      imports.set(f, node.deps);
      if (node.anchor) anchors.push(f);
      for (const d of node.deps) if (!imports.has(d)) work.push(d);
    }
    const importers = new Map<string, string[]>();
    for (const [f, deps] of imports)
      for (const d of deps) {
        const list = importers.get(d);
        if (list) list.push(f);
        else importers.set(d, [f]);
      }
    // importers of anchors (transitively), then everything those import
    const up = new Set<string>();
    const stack = [...anchors];
    while (stack.length) {
      const f = stack.pop()!;
      if (up.has(f)) continue;
      up.add(f);
      for (const i of importers.get(f) ?? []) if (!up.has(i)) stack.push(i);
    }
    const keep = new Set<string>();
    stack.push(...up);
    while (stack.length) {
      const f = stack.pop()!;
      if (keep.has(f)) continue;
      keep.add(f);
      for (const d of imports.get(f) ?? []) if (!keep.has(d)) stack.push(d);
    }
    // connected groups of kept files
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      while (parent.get(r) !== r) r = parent.get(r)!;
      for (let y = x; parent.get(y) !== r; ) {
        const next = parent.get(y)!;
        parent.set(y, r);
        y = next;
      }
      return r;
    };
    for (const f of keep) parent.set(f, f);
    for (const f of keep)
      for (const d of imports.get(f) ?? []) {
        if (!keep.has(d)) continue;
        const a = find(f);
        const b = find(d);
        if (a !== b) parent.set(a, b);
      }
    const relevant = abs.filter((f) => keep.has(f));
    const eager = relevant.filter((f) => up.has(f) || /\.[jt]sx$/i.test(f));
    const groups = new Map<string, { files: string[]; members: string[] }>();
    for (const f of relevant) {
      const r = find(f);
      const g = groups.get(r);
      if (g) g.files.push(f);
      else groups.set(r, { files: [f], members: [] });
    }
    for (const f of keep) groups.get(find(f))?.members.push(f);
    const list = [...groups.values()];
    return { relevant, components: list.map((g) => g.files), members: list.map((g) => g.members.sort()), imports, eager };
  }

  private planNode(abs: string): { specs: string[]; anchor: boolean; deps: string[] } {
    const hit = this.planned.get(abs);
    if (hit) return hit;
    const { text } = this.load(abs);
    let node: { specs: string[]; anchor: boolean; deps: string[] };
    if (text === undefined) node = { specs: [], anchor: false, deps: [] };
    else {
      // pack taint rules (any source to any sink) and a model policy (downloads by host) count every modelled API
      this.prefilterImpl ??= new Prefilter(this.registry, { broad: !!this.config.taintRules?.length || !!this.config.modelPolicy });
      const specs = textSpecifiers(text);
      const deps = new Set<string>();
      for (const s of specs) {
        const r = this.resolveImport(s, abs);
        if (r && r !== abs) deps.add(r);
      }
      node = { specs, anchor: this.prefilterImpl.isAnchor(text, this.relative(abs), specs), deps: [...deps] };
    }
    this.planned.set(abs, node);
    return node;
  }

  /**
   * The source files a file imports (absolute paths of relative, aliased or `paths`-mapped imports that
   * resolve to workspace sources; packages are not listed). Parses the file when needed.
   */
  importsOf(file: string): string[] {
    const abs = path.resolve(this.root, file);
    const mod = this.module(abs);
    if (!mod) return [];
    const out = new Set<string>();
    for (const spec of mod.specifiers) {
      const r = this.resolveImport(spec, abs);
      if (r) out.add(r);
    }
    return [...out];
  }

  dispose(): void {
    this.disposed = true;
    this.parsed.clear();
    this.previousTrees.clear();
    this.projects.clear();
  }

  relative(abs: string): string {
    return relativePath(this.root, abs);
  }

  /** A cheap text prefilter: files that mention no modelled module or API cannot hold a sink. */
  private mayMatter(m: ModuleInfo): boolean {
    if (m.specifiers.size > 0) return true;
    return /\b(fetch|system|instructions|messages|prompt|create|invoke|eval|Function|exec|execSync|spawn|query|innerHTML|outerHTML|insertAdjacentHTML|write|writeFile|raw|pipeline|from_pretrained|pull|vm|run)\b/.test(m.sf.text);
  }

  // ───────────────────────────── parsing ─────────────────────────────

  private module(abs: string): ModuleInfo | undefined {
    return this.parse(abs).mod;
  }

  /** A file's text (overlay first, then disk), or a notice saying why it is not analysed (unreadable, too large, binary). */
  private load(abs: string): { text?: string; notice?: Notice } {
    const hit = this.texts.get(abs);
    if (hit) return hit;
    const rel = this.relative(abs);
    let out: { text?: string; notice?: Notice };
    let text: string | undefined;
    let tooLarge: number | undefined;
    try {
      // an editor buffer or staged blob as given; otherwise one stat (regular file, size limit) and one read
      const given = this.fsHost.overlayText(abs);
      if (given !== undefined) text = given ?? undefined;
      else {
        const st = fs.statSync(abs);
        if (!st.isFile()) text = undefined;
        else if (st.size > this.maxFileBytes) tooLarge = st.size;
        else text = decodeText(fs.readFileSync(abs));
      }
    } catch {
      text = undefined;
    }
    if (tooLarge !== undefined)
      out = { notice: { kind: 'time-budget', file: rel, message: `${rel}: skipped, ${Math.round(tooLarge / 1024)} KB is over the ${Math.round(this.maxFileBytes / 1024)} KB limit for one file` } };
    else if (text === undefined) out = { notice: { kind: 'unreadable', file: rel, message: `${rel}: cannot be read (deleted, not a file, or no permission)` } };
    else if (looksBinary(text)) out = { notice: { kind: 'unreadable', file: rel, message: `${rel}: skipped, looks like a binary file` } };
    else out = { text };
    this.texts.set(abs, out);
    return out;
  }

  /** The trees of files updated since they were parsed (each is given up to the incremental parser once). */
  private readonly previousTrees = new Map<string, ts.SourceFile>();

  private parse(abs: string): ParsedModule {
    const hit = this.parsed.get(abs);
    if (hit) return hit;
    const rel = this.relative(abs);
    const loaded = this.load(abs);
    if (loaded.text === undefined) {
      const pm: ParsedModule = { text: '', notice: loaded.notice };
      this.parsed.set(abs, pm);
      return pm;
    }
    const text = loaded.text;
    let pm: ParsedModule;
    const t0 = performance.now();
    let t1 = t0;
    try {
      // the project (per tsconfig) decides the language version; the tree is parsed directly, without
      // ts-morph's node wrappers (the analysis reads the compiler nodes) and without JSDoc
      const project = this.projectFor(abs);
      const target = project.getCompilerOptions().target ?? ts.ScriptTarget.ES2022;
      const kind = scriptKindFor(abs);
      const previous = this.previousTrees.get(abs);
      this.previousTrees.delete(abs);
      const sf =
        previous && previous.languageVersion === target && (previous as { scriptKind?: ts.ScriptKind }).scriptKind === kind
          ? ts.updateSourceFile(previous, text, changeRange(previous.text, text))
          : ts.createSourceFile(abs, text, { languageVersion: target, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, kind);
      t1 = performance.now();
      const mod = new ModuleInfo(abs, rel, sf);
      pm = { text, mod };
      const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
      if (diags?.length) {
        const d = diags[0];
        const lc = sf.getLineAndCharacterOfPosition(d.start);
        pm.notice = { kind: 'parse-error', file: rel, message: `${rel}:${lc.line + 1}:${lc.character + 1}: syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (analysed what could be parsed)` };
      }
    } catch (e) {
      const why = e instanceof RangeError ? 'nesting too deep' : (e as Error).message;
      pm = { text, notice: { kind: 'parse-error', file: rel, message: `${rel}: cannot be parsed: ${why}` } };
    }
    const t2 = performance.now();
    if (t1 === t0) t1 = t2;
    this.stats.parse += t1 - t0;
    this.stats.facts += t2 - t1;
    this.stats.filesParsed++;
    this.stats.fileMs[rel] = (this.stats.fileMs[rel] ?? 0) + (t2 - t0);
    this.parsed.set(abs, pm);
    return pm;
  }

  private tsconfigFor(dir: string): string | undefined {
    if (this.tsconfigByDir.has(dir)) return this.tsconfigByDir.get(dir);
    let found: string | undefined;
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const f = path.join(dir, name);
      if (this.fsHost.fileExistsSync(f)) {
        found = f;
        break;
      }
    }
    if (!found) {
      const up = path.dirname(dir);
      const insideRoot = dir.startsWith(this.root) && dir !== this.root;
      found = insideRoot && up !== dir ? this.tsconfigFor(up) : undefined;
    }
    this.tsconfigByDir.set(dir, found);
    return found;
  }

  private projectFor(abs: string): Project {
    const cfg = this.tsconfigFor(path.dirname(abs));
    const key = cfg ?? '<default>';
    let p = this.projects.get(key);
    if (p) return p;
    const base = {
      fileSystem: this.fsHost,
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
      skipLoadingLibFiles: true,
    };
    try {
      // only the compiler options matter (module resolution, paths): read them without listing the project's files
      const options = cfg ? this.readCompilerOptions(cfg) : { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler };
      p = new Project({ ...base, compilerOptions: { ...options, allowJs: true, noEmit: true } });
    } catch {
      // a broken tsconfig is not fatal: fall back to defaults for files under it
      p = new Project({ ...base, compilerOptions: { allowJs: true, noEmit: true } });
    }
    this.projects.set(key, p);
    return p;
  }

  /** tsconfig.json (and the files it extends) parsed as data; its `include` globs are not expanded. */
  private readCompilerOptions(cfg: string): ts.CompilerOptions {
    const read = ts.readConfigFile(cfg, (f) => this.fsHost.read(f));
    if (read.error || !read.config) return {};
    const host: ts.ParseConfigHost = {
      useCaseSensitiveFileNames: this.fsHost.isCaseSensitive(),
      readDirectory: () => [],
      fileExists: (f) => this.fsHost.fileExistsSync(f),
      readFile: (f) => this.fsHost.read(f),
    };
    return ts.parseJsonConfigFileContent(read.config, host, path.dirname(cfg), undefined, cfg).options;
  }

  resolveImport(specifier: string, fromFile: string): string | undefined {
    const key = `${specifier}\0${path.dirname(fromFile)}`;
    if (this.resolveCache.has(key)) return this.resolveCache.get(key);
    let out: string | undefined;
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      out = this.resolveRelative(path.resolve(path.dirname(fromFile), specifier));
    } else {
      const project = this.projectFor(fromFile);
      const opts = project.getCompilerOptions();
      if (opts.paths || opts.baseUrl) {
        // one resolution cache per project (TypeScript's own: the same answers, without repeating lookups)
        let res = this.resolution.get(project);
        if (!res) {
          const options = { ...opts, allowJs: true };
          const host: ts.ModuleResolutionHost = {
            fileExists: (f) => this.fsHost.fileExistsSync(f),
            readFile: (f) => this.fsHost.read(f),
            directoryExists: (d) => this.fsHost.directoryExistsSync(d),
            realpath: (f) => this.fsHost.realpathSync(f),
          };
          res = { options, host, cache: ts.createModuleResolutionCache(this.root, (f) => f, options) };
          this.resolution.set(project, res);
        }
        const r = this.mayMapToWorkspace(specifier, fromFile, res.options) ? ts.resolveModuleName(specifier, fromFile, res.options, res.host, res.cache) : undefined;
        const f = r?.resolvedModule?.resolvedFileName;
        if (f && !f.includes(`${path.sep}node_modules${path.sep}`) && !f.endsWith('.d.ts')) out = path.resolve(f);
      }
      // the usual aliases (`@/lib/x`, `~/server/x`) when no tsconfig maps them: the scan root or its src/
      const alias = /^[@~#]\/(.*)$/.exec(specifier);
      if (!out && alias)
        for (const base of [path.join(this.root, 'src'), this.root, path.join(this.root, 'app')]) {
          out = this.resolveRelative(path.join(base, alias[1]));
          if (out) break;
        }
    }
    this.resolveCache.set(key, out);
    return out;
  }

  /**
   * Whether TypeScript's resolution of a bare specifier can end in a workspace file (rather than in
   * node_modules, which does not count, or nowhere): a `paths` pattern or a `baseUrl` entry matches,
   * it is a package.json `imports` name, or the package is linked into node_modules (workspaces) or
   * is the enclosing package itself. Saves the node_modules lookups for every other import.
   */
  private mayMapToWorkspace(spec: string, fromFile: string, opts: ts.CompilerOptions): boolean {
    if (this.hasSource || spec.startsWith('#')) return true;
    for (const key of Object.keys(opts.paths ?? {})) {
      const star = key.indexOf('*');
      if (star < 0 ? key === spec : spec.length >= key.length - 1 && spec.startsWith(key.slice(0, star)) && spec.endsWith(key.slice(star + 1))) return true;
    }
    if (opts.baseUrl) {
      const p = path.join(opts.baseUrl, spec);
      const base = path.basename(p);
      if (this.listDir(path.dirname(p)).some((n) => n === base || n.startsWith(base + '.'))) return true;
    }
    const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    for (let d = path.dirname(fromFile); ; d = path.dirname(d)) {
      if (this.linkedPackages(d).has(pkg) || this.packageName(d) === pkg) return true;
      if (path.dirname(d) === d) return false;
    }
  }

  private readonly dirLists = new Map<string, string[]>();
  private listDir(dir: string): string[] {
    let names = this.dirLists.get(dir);
    if (!names) {
      try {
        names = fs.readdirSync(dir);
      } catch {
        names = [];
      }
      this.dirLists.set(dir, names);
    }
    return names;
  }

  /** Packages in `dir/node_modules` that are symbolic links (workspace packages). */
  private readonly links = new Map<string, Set<string>>();
  private linkedPackages(dir: string): Set<string> {
    let out = this.links.get(dir);
    if (out) return out;
    out = new Set();
    const nm = path.join(dir, 'node_modules');
    const scan = (folder: string, prefix: string) => {
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.isSymbolicLink()) out!.add(prefix + e.name);
        else if (!prefix && e.name.startsWith('@') && e.isDirectory()) scan(path.join(folder, e.name), e.name + '/');
      }
    };
    scan(nm, '');
    this.links.set(dir, out);
    return out;
  }

  private readonly packageNames = new Map<string, string | undefined>();
  private packageName(dir: string): string | undefined {
    if (this.packageNames.has(dir)) return this.packageNames.get(dir);
    let name: string | undefined;
    const text = this.fsHost.read(path.join(dir, 'package.json'));
    if (text !== undefined)
      try {
        const n = (JSON.parse(text) as { name?: unknown }).name;
        if (typeof n === 'string') name = n;
      } catch {
        // not JSON: no name
      }
    this.packageNames.set(dir, name);
    return name;
  }

  private resolveRelative(base: string): string | undefined {
    const tryFile = (f: string) => (this.fsHost.fileExistsSync(f) && !f.endsWith('.d.ts') ? f : undefined);
    const ext = path.extname(base);
    if (ext && SOURCE_EXTENSIONS.includes(ext)) {
      const direct = tryFile(base);
      if (direct) return direct;
      // `./x.js` written for a TypeScript source `./x.ts`
      const stem = base.slice(0, -ext.length);
      const alts = ext === '.js' ? ['.ts', '.tsx'] : ext === '.mjs' ? ['.mts'] : ext === '.cjs' ? ['.cts'] : ext === '.jsx' ? ['.tsx'] : [];
      for (const a of alts) {
        const f = tryFile(stem + a);
        if (f) return f;
      }
      return undefined;
    }
    for (const e of SOURCE_EXTENSIONS) {
      const f = tryFile(base + e);
      if (f) return f;
    }
    for (const e of SOURCE_EXTENSIONS) {
      const f = tryFile(path.join(base, 'index' + e));
      if (f) return f;
    }
    return undefined;
  }

  // ───────────────────────────── findings ─────────────────────────────

  private finish(raw: RawFinding[], texts: readonly { rel: string; text: string }[], notices: Notice[], analyzer?: Analyzer): Finding[] {
    const out: Finding[] = [];
    const seen = new Map<string, number>();
    const rules = rulesForConfig(this.config);
    const taint = taintMatchers(this.config);
    const settings = new Map<RuleMeta, { severity: Severity | 'off'; options: Record<string, unknown> }>();
    const settingOf = (rule: RuleMeta) => {
      let s = settings.get(rule);
      if (!s) settings.set(rule, (s = ruleSettingFor(this.config, rule.id, rule.category, rule.severity)));
      return s;
    };
    const report = (r: RawFinding, rule: RuleMeta) => {
      const { severity, options } = settingOf(rule);
      if (severity === 'off') return;
      // built-in rule options: `mixing: false`, `capabilities: [...]`
      if (options.mixing === false && r.mixing) return;
      if (Array.isArray(options.capabilities) && r.capability && !options.capabilities.includes(r.capability)) return;
      const f = this.toFinding(r, rule, severity);
      if (analyzer) f.fixes = this.fixesFor(r, f, analyzer, rule.fix);
      const n = seen.get(f.fingerprint) ?? 0;
      seen.set(f.fingerprint, n + 1);
      if (n > 0) f.fingerprint = `${f.fingerprint}:${n}`;
      out.push(f);
    };
    for (const r of raw) {
      // a pack's taint rules first, in order: the first whose sink and sources match claims those sources
      let labels = r.labels;
      for (const t of taint) {
        if (!labels.length || settingOf(t.meta).severity === 'off' || !t.sinkMatches(r)) continue;
        const matched = labels.filter((l) => t.sourceMatches(l));
        if (!matched.length) continue;
        labels = labels.filter((l) => !matched.includes(l));
        const mine = matched.filter((l) => !t.sanitized(l)); // sanitized for this rule: claimed, not reported
        if (mine.length) report({ ...r, labels: mine }, t.meta);
      }
      if (r.extra || (r.labels.length > 0 && labels.length === 0)) continue;
      const rule = ruleForCategory(r.category);
      if (rule) report(labels === r.labels ? r : { ...r, labels }, rule);
    }
    // suppressions
    const requireReason = this.config.requireSuppressionReason ?? true;
    const reportUnused = this.config.reportUnusedSuppressions ?? true;
    const kept: Finding[] = [];
    const byFile = new Map<string, Directive[]>();
    for (const m of texts) byFile.set(m.rel, m.text.includes('wirecheck-') ? parseDirectives(m.text) : []);
    for (const f of out) {
      const ds = byFile.get(f.location.file) ?? [];
      const d = ds.find((x) => x.target === f.location.start.line && directiveMatches(x, f.ruleId, f.category));
      if (d && (d.reason || !requireReason)) {
        d.used = true;
        continue;
      }
      if (d) d.used = true;
      kept.push(f);
    }
    for (const [file, ds] of byFile)
      for (const d of ds) {
        const loc: Location = { file, start: { line: d.line, column: d.column }, end: { line: d.line, column: d.column }, startOffset: 0, endOffset: 0 };
        if (requireReason && !d.reason)
          notices.push({ kind: 'suppression-without-reason', file, location: loc, message: `${file}:${d.line}: suppression needs a reason: add \`-- <why this is safe>\` after the rule id` });
        else if (d.rules.length && d.rules.some((r) => !rules.some((x) => x.id === r || x.category === r) && r !== 'all'))
          notices.push({ kind: 'unused-suppression', file, location: loc, message: `${file}:${d.line}: unknown rule in suppression: ${d.rules.join(', ')}` });
        else if (reportUnused && !d.used)
          notices.push({ kind: 'unused-suppression', file, location: loc, message: `${file}:${d.line}: unused suppression for ${d.rules.join(', ') || '(no rule id)'}` });
      }
    kept.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startOffset - b.location.startOffset || a.ruleId.localeCompare(b.ruleId));
    return kept;
  }

  /** The fixes for a finding (text edits), best first; a builder that fails offers none. */
  private fixesFor(r: RawFinding, f: Finding, analyzer: Analyzer, preferred?: string): Fix[] {
    try {
      const mod = r.mod;
      let style = this.styles.get(mod.sf);
      if (!style) this.styles.set(mod.sf, (style = detectStyle(mod.sf)));
      const sourceNodes = r.labels.flatMap((l) => [l, ...l.steps]).filter((x) => x.mod === mod).map((x) => x.node);
      return buildFixes({
        category: r.category,
        node: r.node,
        mod,
        sf: mod.sf,
        file: f.location.file,
        capability: r.capability,
        mixing: r.mixing,
        sink: r.sink,
        sourceNodes,
        isTainted: (e) => deepLabels(analyzer.textOf(analyzer.evaluate(e, mod))).length > 0,
        isText: (e) => {
          const v = analyzer.evaluate(e, mod);
          return !v.elems && !v.props && (v.text !== undefined || v.prefix !== undefined || !!v.alts?.length || v.words > 0 || v.labels.length > 0);
        },
        fixedWords: (e) => analyzer.textOf(analyzer.evaluate(e, mod)).words,
        isList: (e) => {
          const v = analyzer.evaluate(e, mod);
          return !!v.elems && v.text === undefined;
        },
        dependencies: this.dependenciesOf(mod.path),
        style,
        preferred,
        dataFields: this.dataFields(),
      });
    } catch {
      return [];
    }
  }

  /** Option names the models declare as data channels of a call with instructions (`input`, `question`…). */
  private dataFields(): ReadonlySet<string> {
    if (this.dataFieldSet) return this.dataFieldSet;
    const out = new Set<string>();
    for (const m of this.registry.models.values())
      for (const row of m.sinks)
        for (const [field, ch] of Object.entries(row.fields ?? {})) if ((ch === 'data' || ch === 'prompt') && !field.includes('.')) out.add(field);
    return (this.dataFieldSet = out);
  }
  private dataFieldSet?: ReadonlySet<string>;

  /** Package names the nearest package.json above a file declares (read as data). */
  private dependenciesOf(file: string): ReadonlySet<string> {
    const dir = path.dirname(file);
    const hit = this.depsByDir.get(dir);
    if (hit) return hit;
    let out: Set<string> = new Set();
    const pkg = path.join(dir, 'package.json');
    const text = this.fsHost.fileExistsSync(pkg) ? this.fsHost.read(pkg) : undefined;
    if (text !== undefined) {
      try {
        const data = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
        for (const k of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) for (const name of Object.keys(data[k] ?? {})) out.add(name);
      } catch {
        // not valid JSON: no declared dependencies
      }
    } else if (path.dirname(dir) !== dir && dir.startsWith(this.root) && dir !== this.root) out = new Set(this.dependenciesOf(dir));
    this.depsByDir.set(dir, out);
    return out;
  }

  private toFinding(r: RawFinding, rule: RuleMeta, severity: Severity): Finding {
    const location = locationOf(r.node, r.mod, this);
    const src = pickSource(r.labels);
    const srcText = src ? snippet(src.node, src.mod.sf) : '';
    const sourceDesc = src ? `${capitalize(src.what)}${srcText ? ` from \`${srcText}\`` : ''}` : 'Untrusted text';
    const template = r.category === 'unpinned-model' ? rule.messages.download : r.capability ? rule.messages[r.capability] ?? rule.messages.default : r.mixing ? rule.messages.mixing : rule.messages.instruction;
    const message = template
      .replace('{{source}}', sourceDesc)
      .replace('{{sink}}', r.sink)
      .replace('{{model}}', r.sink)
      .replace('{{detail}}', r.detail ?? '');
    const path: PathStep[] = [];
    if (src) {
      path.push({ location: locationOf(src.node, src.mod, this), message: `source: ${src.what}` });
      for (const s of src.steps) path.push({ location: locationOf(s.node, s.mod, this), message: s.message });
    }
    path.push({ location, message: r.category === 'unpinned-model' ? 'downloaded here' : r.capability ? `reaches ${r.sink} here` : r.mixing ? 'mixed with fixed instruction text here' : 'reaches the instruction channel here' });
    const dedupedPath = path.filter((p, i) => i === 0 || p.location.startOffset !== path[i - 1].location.startOffset || p.location.file !== path[i - 1].location.file);
    const fingerprint = simpleHash(
      [rule.id, location.file, enclosingNames(r.node), normalize(r.node.getText(r.mod.sf)), src ? normalize(src.node.getText(src.mod.sf)) : ''].join('\u0001'),
    );
    return { ruleId: rule.id, category: rule.category, severity, message, location, path: dedupedPath, fixes: [], fingerprint };
  }
}

function emptyStats(): AnalysisStats {
  return { plan: 0, parse: 0, facts: 0, flow: 0, rules: 0, filesRead: 0, filesParsed: 0, filesAnalyzed: 0, fileMs: {} };
}

/** Findings in report order (by file, then position, then rule), as an analysis returns them. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.location.file.localeCompare(b.location.file) || a.location.startOffset - b.location.startOffset || a.ruleId.localeCompare(b.ruleId);
}

/** Notices in a stable order (by file, then position, then text), whichever worker produced them. */
export function compareNotices(a: Notice, b: Notice): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.location?.start.line ?? 0) - (b.location?.start.line ?? 0) ||
    (a.location?.start.column ?? 0) - (b.location?.start.column ?? 0) ||
    a.kind.localeCompare(b.kind) ||
    a.message.localeCompare(b.message)
  );
}

function pickSource(labels: readonly Label[]): Label | undefined {
  // the source written closest to the sink's file first, then the shortest path
  return [...labels].sort((a, b) => a.steps.length - b.steps.length)[0];
}

export function locationOf(node: ts.Node, mod: ModuleInfo, s: { relative(p: string): string }): Location {
  const sf = mod.sf;
  const start = node.getStart(sf);
  const end = node.getEnd();
  const a = sf.getLineAndCharacterOfPosition(start);
  const b = sf.getLineAndCharacterOfPosition(end);
  return {
    file: s.relative(mod.path),
    start: { line: a.line + 1, column: a.character + 1 },
    end: { line: b.line + 1, column: b.character + 1 },
    startOffset: start,
    endOffset: end,
  };
}

function snippet(node: ts.Node, sf: ts.SourceFile): string {
  const t = normalize(node.getText(sf));
  return t.length > 60 ? t.slice(0, 57) + '…' : t;
}

function normalize(t: string): string {
  return t.replace(/\s+/g, ' ').trim();
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function enclosingNames(n: ts.Node): string {
  const names: string[] = [];
  for (let p = n.parent; p; p = p.parent) {
    const nm = (p as ts.NamedDeclaration).name;
    if (nm && (ts.isIdentifier(nm) || ts.isStringLiteral(nm)) && (ts.isFunctionLike(p) || ts.isClassLike(p) || ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)))
      names.unshift(nm.text);
  }
  return names.join('.');
}

/** The script kind TypeScript parses a file as, by its extension. */
export function scriptKindFor(file: string): ts.ScriptKind {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

export function createSession(opts: SessionOptions): Session {
  return new Session(opts);
}

/** The span of `before` that `after` replaces: everything between their common prefix and suffix. */
function changeRange(before: string, after: string): ts.TextChangeRange {
  const min = Math.min(before.length, after.length);
  let start = 0;
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return ts.createTextChangeRange(ts.createTextSpan(start, endBefore - start), endAfter - start);
}
