/**
 * SDK models: the data that says which calls are model calls, where the instruction channel is, what
 * produces untrusted or retrieved text, and what sanitizes it. Loaded from `analyzers/models/*.yaml`
 * and validated against `analyzers/schema/model.schema.json`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import Ajv from 'ajv';
import modelSchema from '../schema/model.schema.json';

export type SourceKind = 'untrusted' | 'retrieved' | 'llm-output';
export type Channel = 'instruction' | 'messages' | 'message' | 'prompt' | 'auto' | 'data' | 'tool-description';

export interface SinkRow {
  /** Names the row so that a pack's taint rules can select it. */
  id?: string;
  call: string[];
  suffix?: string[];
  arg?: number;
  as?: Channel;
  fields?: Record<string, Channel>;
  guardedBy?: string[];
  separateInstructions?: boolean;
}
export interface SourceRow {
  id?: string;
  call?: string[];
  member?: string[];
  iterate?: string[];
  decorator?: string[];
  suffix?: string[];
  kind: SourceKind;
  what?: string;
  unlessFixedPath?: number;
  schemaField?: string;
  resultField?: string;
}
export interface CallbackParam {
  toolArg?: boolean;
  validatedBy?: string;
  schemaFromArgs?: boolean;
  kind?: SourceKind;
  type?: string;
  what?: string;
  members?: Record<string, SourceKind>;
}
export interface CallbackRow {
  call?: string[];
  suffix?: string[];
  arg?: number | 'last' | 'any';
  event?: string[];
  exceptEvent?: string[];
  params: (CallbackParam | null)[];
}
export interface TypedParamRow {
  file?: string;
  functions: string[];
  param: number;
  type: string;
}
export interface NamedParamRow {
  names: string[];
  siblings: string[];
  type: string;
}
export interface SummaryRow {
  call: string[];
  from: 'receiver' | 'args' | 'arg0' | 'arg1';
}
export interface GuardRow {
  call: string[];
  effect: 'guarded-client' | 'guarded-agent' | 'verdict';
  when?: string[];
  input?: string;
}
export interface TemplateRow {
  call: string[];
  form: 'messages' | 'single' | 'system' | 'human';
  field?: string;
}
export interface RetrievalChainRow {
  call: string[];
  retriever?: string;
  chain?: string;
  prompt?: string;
  variable?: string;
}
export interface ValidatorVocabulary {
  root?: string[];
  safe?: string[];
  unsafe?: string[];
  object?: string[];
  array?: string[];
  union?: string[];
  inherit?: string[];
  regex?: string[];
  parse?: string[];
  safeParse?: string[];
}

export type Capability = 'shell' | 'code' | 'file-write' | 'file-read' | 'network' | 'sql' | 'html';

export interface DangerousRow {
  id?: string;
  call?: string[];
  new?: string[];
  suffix?: string[];
  assign?: string[];
  jsxAttribute?: string[];
  capability: Capability;
  args?: number[];
  field?: string;
  whenOption?: string;
}
/** What a sanitizer makes text safe for: a dangerous capability, the instruction channel of a model call, or everything. */
export type SanitizerTarget = Capability | 'instructions' | 'all';

export interface SanitizerRow {
  id?: string;
  call: string[];
  /** Absent for `asserts` and `predicate` validators, which validate the value for every use. */
  for?: SanitizerTarget[];
  /**
   * `returns` (default): the call's result is the sanitized text. `asserts`: the call throws unless
   * argument `arg` is valid, so later uses of that value are clean. `predicate`: the call returns
   * true for a valid argument (`if (!isSafe(x)) throw …`).
   */
  mode?: 'returns' | 'asserts' | 'predicate';
  arg?: number;
}
export interface ToolRow {
  call?: string[];
  suffix?: string[];
  extends?: string[];
  handler: string;
  options?: number;
  param?: number;
  name?: string;
  gates?: string[];
}
export interface ToolGateRow {
  call: string[];
  field: string;
}
export interface DownloadRow {
  call: string[];
  kind: 'hf' | 'ollama' | 'hf-uri' | 'url';
  model?: string;
  revision?: string;
  local?: string[];
  defaultModelWhenMissing?: boolean;
}
export interface LocalOnlyRow {
  member: string;
  value: boolean;
}

export interface ModelFile {
  package: string;
  description?: string;
  /** Import specifiers (`openai`, `@acme/llm`, `openai/*`) whose exports this model describes. */
  modules?: string[];
  /**
   * Workspace source files whose exports this model describes (an in-house wrapper imported with a
   * relative path): globs matched against the path relative to the scan root (`src/lib/llm.ts`, or
   * `lib/llm.*` at any depth); a pattern without an extension also matches the file with any source
   * extension and a folder's index file.
   */
  files?: string[];
  types?: Record<string, string[]>;
  sinks?: SinkRow[];
  sources?: SourceRow[];
  callbacks?: CallbackRow[];
  typedParams?: TypedParamRow[];
  namedParams?: NamedParamRow[];
  summaries?: SummaryRow[];
  guards?: GuardRow[];
  templates?: TemplateRow[];
  retrievalChains?: RetrievalChainRow[];
  validators?: ValidatorVocabulary;
  dangerous?: DangerousRow[];
  sanitizers?: SanitizerRow[];
  tools?: ToolRow[];
  toolGates?: ToolGateRow[];
  toolCallMembers?: string[];
  downloads?: DownloadRow[];
  localOnlySwitches?: LocalOnlyRow[];
}

/** A value reached from a modelled package: the model it belongs to and the access path tokens. */
export interface ApiRef {
  model: string;
  tokens: readonly string[];
}

export const GLOBAL_MODULE = '<global>';

export function parsePath(p: string): string[] {
  const out: string[] = [];
  for (const seg of p.split('.')) {
    const m = /^([^()]*)((?:\(\))*)$/.exec(seg);
    if (!m) throw new Error(`bad path segment '${seg}' in '${p}'`);
    if (m[1]) out.push(m[1]);
    for (let i = 0; i < m[2].length / 2; i++) out.push('()');
  }
  return out;
}

function tokenMatches(pattern: string, token: string): boolean {
  if (pattern === token) return true;
  if (!pattern.includes('*')) return false;
  if (token === '()') return false;
  return wildcardMatch(pattern, token);
}

/**
 * `*` matches any run of identifier characters (`[\w$]*`). Greedy matching with a single backtrack
 * point: time O(pattern × token) at worst, whatever the pattern (no regular expression, so a pack's
 * `a*a*a*a*b` cannot make it backtrack exponentially).
 */
export function wildcardMatch(pattern: string, token: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  const ident = (c: string) => /[\w$]/.test(c);
  while (t < token.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.length && pattern[p] === token[t]) {
      p++;
      t++;
    } else if (star >= 0 && ident(token[mark])) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

export function pathMatches(pattern: readonly string[], tokens: readonly string[]): boolean {
  if (pattern.length !== tokens.length) return false;
  for (let i = 0; i < pattern.length; i++) if (!tokenMatches(pattern[i], tokens[i])) return false;
  return true;
}

interface CompiledType {
  name: string;
  /** model the resulting ref belongs to (a type may alias another model's type: `openai:Client`). */
  targetModel: string;
  targetName: string;
  patterns: string[][];
}

export class CompiledModel {
  readonly id: string;
  readonly file: ModelFile;
  readonly types: CompiledType[] = [];
  readonly sinks: (SinkRow & { paths: string[][] })[] = [];
  readonly sources: (SourceRow & { paths: string[][]; mode: 'call' | 'member' | 'iterate' | 'decorator' | 'suffix' })[] = [];
  readonly callbacks: (CallbackRow & { paths: string[][] })[] = [];
  readonly summaries: (SummaryRow & { paths: string[][] })[] = [];
  readonly guards: (GuardRow & { paths: string[][] })[] = [];
  readonly templates: (TemplateRow & { paths: string[][] })[] = [];
  readonly retrievalChains: (RetrievalChainRow & { paths: string[][] })[] = [];
  readonly validatorRoots: string[][] = [];
  readonly dangerous: (DangerousRow & { paths: string[][]; newPaths: string[][] })[] = [];
  readonly sanitizers: (SanitizerRow & { paths: string[][] })[] = [];
  readonly tools: (ToolRow & { paths: string[][]; extendsPaths: string[][] })[] = [];
  readonly toolGates: (ToolGateRow & { paths: string[][] })[] = [];
  readonly downloads: (DownloadRow & { paths: string[][] })[] = [];
  readonly localOnly: (LocalOnlyRow & { path: string[] })[] = [];

  constructor(file: ModelFile) {
    this.id = file.package;
    this.file = file;
    for (const [name, pats] of Object.entries(file.types ?? {})) {
      const [targetModel, targetName] = name.includes(':') ? name.split(':', 2) : [file.package, name];
      this.types.push({ name, targetModel, targetName, patterns: pats.map(parsePath) });
    }
    for (const s of file.sinks ?? []) this.sinks.push({ ...s, paths: s.call.map(parsePath) });
    for (const s of file.sources ?? []) {
      const mode = s.call ? 'call' : s.member ? 'member' : s.iterate ? 'iterate' : s.decorator ? 'decorator' : 'suffix';
      const list = s.call ?? s.member ?? s.iterate ?? s.decorator ?? [];
      this.sources.push({ ...s, mode, paths: list.map(parsePath) });
    }
    for (const c of file.callbacks ?? []) this.callbacks.push({ ...c, paths: (c.call ?? []).map(parsePath) });
    for (const c of file.summaries ?? []) this.summaries.push({ ...c, paths: c.call.map(parsePath) });
    for (const c of file.guards ?? []) this.guards.push({ ...c, paths: c.call.map(parsePath) });
    for (const c of file.templates ?? []) this.templates.push({ ...c, paths: c.call.map(parsePath) });
    for (const c of file.retrievalChains ?? []) this.retrievalChains.push({ ...c, paths: c.call.map(parsePath) });
    for (const r of file.validators?.root ?? []) this.validatorRoots.push(parsePath(r));
    for (const d of file.dangerous ?? []) this.dangerous.push({ ...d, paths: (d.call ?? []).map(parsePath), newPaths: (d.new ?? []).map(parsePath) });
    for (const d of file.sanitizers ?? []) this.sanitizers.push({ ...d, paths: d.call.map(parsePath) });
    for (const d of file.tools ?? []) this.tools.push({ ...d, paths: (d.call ?? []).map(parsePath), extendsPaths: (d.extends ?? []).map(parsePath) });
    for (const d of file.toolGates ?? []) this.toolGates.push({ ...d, paths: d.call.map(parsePath) });
    for (const d of file.downloads ?? []) this.downloads.push({ ...d, paths: d.call.map(parsePath) });
    for (const d of file.localOnlySwitches ?? []) this.localOnly.push({ ...d, path: parsePath(d.member) });
    const typeNames = new Set(this.types.map((t) => t.name));
    const rows = [
      ...this.types.flatMap((t) => t.patterns),
      ...this.sinks.flatMap((r) => r.paths),
      ...this.sources.flatMap((r) => r.paths),
      ...this.callbacks.flatMap((r) => r.paths),
      ...this.summaries.flatMap((r) => r.paths),
      ...this.guards.flatMap((r) => r.paths),
      ...this.templates.flatMap((r) => r.paths),
      ...this.retrievalChains.flatMap((r) => r.paths),
      ...this.dangerous.flatMap((r) => [...r.paths, ...r.newPaths]),
      ...this.sanitizers.flatMap((r) => r.paths),
      ...this.tools.flatMap((r) => [...r.paths, ...r.extendsPaths]),
      ...this.toolGates.flatMap((r) => r.paths),
      ...this.downloads.flatMap((r) => r.paths),
      ...this.localOnly.map((r) => r.path),
    ];
    for (const p of rows) if (p[0] && !typeNames.has(p[0])) this.rootNames.add(p[0]);
  }

  /** Export (or global) names that some row starts from. */
  readonly rootNames = new Set<string>();
}

/** Tests a root-relative workspace path against a model's `files` globs (built by the pack loader, linear time). */
export type FileMatcher = (relPath: string) => boolean;
export type FileMatcherFactory = (globs: readonly string[]) => FileMatcher;

export class ModelRegistry {
  readonly models = new Map<string, CompiledModel>();
  /** The model files this registry was built from (to compose it with a pack's models). */
  readonly modelFiles: readonly ModelFile[];
  private readonly exact = new Map<string, CompiledModel[]>();
  private readonly prefixes: { prefix: string; model: CompiledModel }[] = [];
  private readonly fileModels: { model: CompiledModel; matches: FileMatcher }[] = [];
  private readonly fileCache = new Map<string, CompiledModel[]>();
  /** Rows usable without a resolved receiver (the receiver-agnostic fallback). */
  readonly suffixSinks: { model: CompiledModel; row: SinkRow & { paths: string[][] }; suffix: string[] }[] = [];
  readonly suffixSources: { model: CompiledModel; row: CompiledModel['sources'][number]; suffix: string[] }[] = [];
  readonly suffixCallbacks: { model: CompiledModel; row: CompiledModel['callbacks'][number]; suffix: string[] }[] = [];
  readonly suffixDangerous: { model: CompiledModel; row: CompiledModel['dangerous'][number]; suffix: string[] }[] = [];
  readonly suffixTools: { model: CompiledModel; row: CompiledModel['tools'][number]; suffix: string[] }[] = [];
  /** Member names whose assignment is a dangerous sink (`innerHTML`), and JSX attributes. */
  readonly assignSinks = new Map<string, CompiledModel['dangerous'][number]>();
  readonly jsxSinks = new Map<string, CompiledModel['dangerous'][number]>();
  readonly toolCallMembers = new Set<string>();
  readonly contentHash: string;

  constructor(files: readonly ModelFile[], hash = '', fileMatcher?: FileMatcherFactory) {
    this.modelFiles = files;
    for (const f of files) {
      const m = new CompiledModel(f);
      this.models.set(m.id, m);
      if (f.files?.length && fileMatcher) this.fileModels.push({ model: m, matches: fileMatcher(f.files) });
      for (const spec of f.modules ?? []) {
        if (spec.endsWith('/*')) this.prefixes.push({ prefix: spec.slice(0, -1), model: m });
        else {
          const list = this.exact.get(spec) ?? [];
          list.push(m);
          this.exact.set(spec, list);
        }
      }
      for (const row of m.sinks) for (const s of row.suffix ?? []) this.suffixSinks.push({ model: m, row, suffix: s.split('.') });
      for (const row of m.sources) for (const s of row.suffix ?? []) this.suffixSources.push({ model: m, row, suffix: s.split('.') });
      for (const row of m.callbacks) for (const s of row.suffix ?? []) this.suffixCallbacks.push({ model: m, row, suffix: s.split('.') });
      for (const row of m.dangerous) {
        for (const s of row.suffix ?? []) this.suffixDangerous.push({ model: m, row, suffix: s.split('.') });
        for (const a of row.assign ?? []) this.assignSinks.set(a, row);
        for (const a of row.jsxAttribute ?? []) this.jsxSinks.set(a, row);
      }
      for (const row of m.tools) for (const s of row.suffix ?? []) this.suffixTools.push({ model: m, row, suffix: s.split('.') });
      for (const n of f.toolCallMembers ?? []) this.toolCallMembers.add(n);
    }
    this.contentHash = hash;
  }

  /** Models bound by an import specifier (`openai`, `node:fs`, `@langchain/core/messages`). */
  modelsForModule(specifier: string): CompiledModel[] {
    const spec = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
    const out = [...(this.exact.get(spec) ?? [])];
    for (const p of this.prefixes) if (spec.startsWith(p.prefix) || spec === p.prefix.slice(0, -1)) out.push(p.model);
    return out;
  }

  /** Whether some model describes workspace files (`files:` globs of a pack). */
  get hasFileModels(): boolean {
    return this.fileModels.length > 0;
  }

  /** Models that describe the exports of a workspace file (path relative to the scan root, `/`-separated). */
  modelsForFile(relPath: string): CompiledModel[] {
    if (!this.fileModels.length) return [];
    let hit = this.fileCache.get(relPath);
    if (!hit) {
      hit = this.fileModels.filter((f) => f.matches(relPath)).map((f) => f.model);
      this.fileCache.set(relPath, hit);
    }
    return hit;
  }

  globals(): CompiledModel[] {
    return this.exact.get(GLOBAL_MODULE) ?? [];
  }

  /** Rewrites a ref whose tokens equal a type pattern into that type (repeatedly). */
  normalize(ref: ApiRef): ApiRef {
    let cur = ref;
    for (let guard = 0; guard < 8; guard++) {
      const model = this.models.get(cur.model);
      if (!model) return cur;
      let next: ApiRef | undefined;
      for (const t of model.types) {
        if (t.patterns.some((p) => pathMatches(p, cur.tokens))) {
          next = { model: t.targetModel, tokens: [t.targetName] };
          break;
        }
      }
      if (!next || (next.model === cur.model && next.tokens.length === cur.tokens.length && next.tokens[0] === cur.tokens[0])) return cur;
      cur = next;
    }
    return cur;
  }

  extend(ref: ApiRef, token: string): ApiRef {
    let tokens = [...ref.tokens, token];
    // Calling or constructing a module object itself (`require('openai')()`) means its default export.
    if (token === '()' && ref.tokens.length === 0) tokens = ['default', '()'];
    return this.normalize({ model: ref.model, tokens });
  }
}

let validateModel: ((d: unknown) => d is ModelFile) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

export function validateModelFile(data: unknown, fileName: string): ModelFile {
  validateModel ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile<ModelFile>(modelSchema);
  if (!validateModel(data)) {
    const errs = (validateModel.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`${fileName}: invalid model: ${errs}`);
  }
  for (const key of ['sinks', 'sources', 'callbacks', 'summaries', 'guards', 'templates', 'retrievalChains'] as const) {
    for (const row of (data[key] ?? []) as { call?: string[]; member?: string[] }[]) {
      for (const p of [...(row.call ?? []), ...(row.member ?? [])]) parsePath(p);
    }
  }
  return data;
}

export function defaultModelsDir(): string {
  // Works both from sources (analyzers/engine) and from the bundle (dist/).
  const candidates = [path.resolve(__dirname, '../models'), path.resolve(__dirname, '../analyzers/models')];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return candidates[0];
}

let cached: ModelRegistry | undefined;

export function loadModels(dir = defaultModelsDir(), extra: ModelFile[] = []): ModelRegistry {
  if (cached && extra.length === 0 && dir === defaultModelsDir()) return cached;
  // the bundle ships the models pre-validated as dist/models.json (built from the same YAML files)
  const prebuilt = path.resolve(__dirname, 'models.json');
  if (extra.length === 0 && dir === defaultModelsDir() && path.basename(__dirname) === 'dist' && fs.existsSync(prebuilt)) {
    const data = JSON.parse(fs.readFileSync(prebuilt, 'utf8')) as { hashInput: string; models: { name: string; data: ModelFile }[] };
    cached = new ModelRegistry(
      data.models.map((m) => m.data),
      data.hashInput,
    );
    return cached;
  }
  const files: ModelFile[] = [];
  let hashInput = '';
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    hashInput += name + '\0' + text + '\0';
    files.push(validateModelFile(YAML.parse(text), name));
  }
  for (const e of extra) hashInput += JSON.stringify(e);
  const reg = new ModelRegistry([...files, ...extra], simpleHash(hashInput));
  if (extra.length === 0 && dir === defaultModelsDir()) cached = reg;
  return reg;
}

/** The built-in registry plus a pack's models (which must not reuse a built-in model's `package`). */
export function composeRegistry(base: ModelRegistry, extra: readonly ModelFile[], fileMatcher?: FileMatcherFactory): ModelRegistry {
  if (!extra.length) return base;
  return new ModelRegistry([...base.modelFiles, ...extra], simpleHash(base.contentHash + '\0' + JSON.stringify(extra)), fileMatcher);
}

export function simpleHash(s: string): string {
  // FNV-1a 64-bit, as hex; used for cache keys and fingerprints (not security).
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * prime) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
