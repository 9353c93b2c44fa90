/**
 * The engine's one API: a session for a root folder. Update a file's text (editor buffer, staged
 * blob), analyse files, get findings, dispose. Parsing goes through ts-morph over an overlay file
 * system; projects are created lazily per tsconfig and files are added on demand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, ts } from 'ts-morph';
import { OverlayFileSystem, looksBinary, type TextSource } from './overlay';
import { loadModels, simpleHash, type ModelRegistry } from './models';
import type { Config } from './config';
import { parseDirectives, directiveMatches, type Directive } from './suppress';
import type { Finding, Location, Notice, PathStep, Severity } from './types';
import { ModuleInfo } from '../facts/module';
import { Analyzer, type RawFinding } from '../flow/analyzer';
import type { Label } from '../flow/value';
import { ruleForCategory, RULES, type RuleMeta } from '../rules';

export const ENGINE_VERSION = '0.1.0';

export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export interface SessionOptions {
  root: string;
  config?: Config;
  registry?: ModelRegistry;
  /** Per-file parse budget in milliseconds (a file over it is reported as a notice and skipped). */
  fileBudgetMs?: number;
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
  private readonly maxFileBytes: number;
  private disposed = false;

  constructor(opts: SessionOptions) {
    this.root = path.resolve(opts.root);
    this.registry = opts.registry ?? loadModels();
    this.config = opts.config ?? {};
    this.maxFileBytes = opts.maxFileBytes ?? 2_000_000;
    this.fsHost = new OverlayFileSystem(opts.source);
  }

  /** Sets a file's text from an editor buffer or a staged blob; `null` marks it deleted, `undefined` reverts to disk. */
  updateFile(file: string, text: string | null | undefined): void {
    const abs = path.resolve(this.root, file);
    this.fsHost.set(abs, text);
    this.parsed.delete(abs);
    this.resolveCache.clear();
  }

  /** Analyses the given files (absolute or root-relative) and returns findings located in them. */
  analyze(files: string[]): AnalysisResult {
    if (this.disposed) throw new Error('session disposed');
    const abs = [...new Set(files.map((f) => path.resolve(this.root, f)))];
    const notices: Notice[] = [];
    const analyzer = new Analyzer(this.registry, {
      getModule: (p) => this.module(p),
      resolveImport: (s, from) => this.resolveImport(s, from),
    });
    const mods: ModuleInfo[] = [];
    for (const f of abs) {
      const pm = this.parse(f);
      if (pm.notice) notices.push(pm.notice);
      if (pm.mod) mods.push(pm.mod);
    }
    analyzer.prepare(mods);
    for (const m of mods) {
      if (!this.mayMatter(m)) continue;
      try {
        analyzer.analyzeModule(m);
      } catch (e) {
        notices.push({ kind: 'unreadable', file: m.rel, message: `analysis of ${m.rel} failed: ${(e as Error).message}` });
      }
    }
    try {
      analyzer.propagate();
    } catch (e) {
      notices.push({ kind: 'unreadable', message: `cross-function analysis failed: ${(e as Error).message}` });
    }
    const inScope = new Set(abs);
    const raw = analyzer.findings.filter((r) => inScope.has(r.mod.path));
    const findings = this.finish(raw, mods, notices);
    return { findings, notices, files: mods.map((m) => m.rel) };
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
    this.projects.clear();
  }

  relative(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
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

  private parse(abs: string): ParsedModule {
    const hit = this.parsed.get(abs);
    if (hit) return hit;
    const rel = this.relative(abs);
    let text: string | undefined;
    try {
      const inOverlay = this.fsHost.has(abs) || this.fsHost.read(abs) !== undefined && this.fsHost.has(abs);
      const st = inOverlay ? undefined : fs.statSync(abs);
      if (st && st.size > this.maxFileBytes) {
        const pm: ParsedModule = { text: '', notice: { kind: 'time-budget', file: rel, message: `${rel}: skipped, ${Math.round(st.size / 1024)} KB is over the ${Math.round(this.maxFileBytes / 1024)} KB limit for one file` } };
        this.parsed.set(abs, pm);
        return pm;
      }
      text = this.fsHost.read(abs);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      const pm: ParsedModule = { text: '', notice: { kind: 'unreadable', file: rel, message: `${rel}: cannot be read (deleted, not a file, or no permission)` } };
      this.parsed.set(abs, pm);
      return pm;
    }
    if (looksBinary(text)) {
      const pm: ParsedModule = { text, notice: { kind: 'unreadable', file: rel, message: `${rel}: skipped, looks like a binary file` } };
      this.parsed.set(abs, pm);
      return pm;
    }
    let pm: ParsedModule;
    try {
      // the project (per tsconfig) decides the language version; the tree is parsed directly, without
      // ts-morph's node wrappers (the analysis reads the compiler nodes) and without JSDoc
      const project = this.projectFor(abs);
      const target = project.getCompilerOptions().target ?? ts.ScriptTarget.ES2022;
      const sf = ts.createSourceFile(abs, text, { languageVersion: target, jsDocParsingMode: ts.JSDocParsingMode.ParseNone }, true, scriptKindFor(abs));
      const mod = new ModuleInfo(abs, rel, sf);
      pm = { text, mod };
      const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics;
      if (diags?.length) {
        const d = diags[0];
        const lc = sf.getLineAndCharacterOfPosition(d.start);
        pm.notice = { kind: 'parse-error', file: rel, message: `${rel}:${lc.line + 1}:${lc.character + 1}: syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')} (analysed what could be parsed)` };
      }
    } catch (e) {
      pm = { text, notice: { kind: 'parse-error', file: rel, message: `${rel}: cannot be parsed: ${(e as Error).message}` } };
    }
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
        const host: ts.ModuleResolutionHost = {
          fileExists: (f) => this.fsHost.fileExistsSync(f),
          readFile: (f) => this.fsHost.read(f),
          directoryExists: (d) => this.fsHost.directoryExistsSync(d),
          realpath: (f) => this.fsHost.realpathSync(f),
        };
        const r = ts.resolveModuleName(specifier, fromFile, { ...opts, allowJs: true }, host);
        const f = r.resolvedModule?.resolvedFileName;
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

  private finish(raw: RawFinding[], mods: ModuleInfo[], notices: Notice[]): Finding[] {
    const out: Finding[] = [];
    const seen = new Map<string, number>();
    const severityFor = (rule: RuleMeta): Severity | 'off' => this.config.rules?.[rule.id] ?? this.config.rules?.[rule.category] ?? rule.severity;
    for (const r of raw) {
      const rule = ruleForCategory(r.category);
      if (!rule) continue;
      const severity = severityFor(rule);
      if (severity === 'off') continue;
      const f = this.toFinding(r, rule, severity);
      const n = seen.get(f.fingerprint) ?? 0;
      seen.set(f.fingerprint, n + 1);
      if (n > 0) f.fingerprint = `${f.fingerprint}:${n}`;
      out.push(f);
    }
    // suppressions
    const requireReason = this.config.requireSuppressionReason ?? true;
    const reportUnused = this.config.reportUnusedSuppressions ?? true;
    const kept: Finding[] = [];
    const byFile = new Map<string, Directive[]>();
    for (const m of mods) byFile.set(m.rel, parseDirectives(m.sf.text));
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
        else if (d.rules.length && d.rules.some((r) => !RULES.some((x) => x.id === r || x.category === r) && r !== 'all'))
          notices.push({ kind: 'unused-suppression', file, location: loc, message: `${file}:${d.line}: unknown rule in suppression: ${d.rules.join(', ')}` });
        else if (reportUnused && !d.used)
          notices.push({ kind: 'unused-suppression', file, location: loc, message: `${file}:${d.line}: unused suppression for ${d.rules.join(', ') || '(no rule id)'}` });
      }
    kept.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.startOffset - b.location.startOffset || a.ruleId.localeCompare(b.ruleId));
    return kept;
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

function scriptKindFor(file: string): ts.ScriptKind {
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
