/**
 * Rule packs and configurations: reading them safely (size, nesting and alias limits), validating
 * them against analyzers/schema/pack.schema.json with errors that name the file, the line and the
 * path inside it, resolving `extends` (built-in packs, relative files, npm packages that expose a
 * pack), merging, and turning the result into what a session uses: the model registry with the
 * pack's models, the pack's taint rules, the model-download policy.
 *
 * Packs are data. Nothing in a pack is executed, no package is `require`d, and every regular
 * expression a pack supplies runs on RE2 (linear time), never on the backtracking JS engine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import modelSchema from '../schema/model.schema.json';
import packSchema from '../schema/pack.schema.json';
import configSchema from '../schema/config.schema.json';
import sandboxSchema from '../schema/sandbox.schema.json';
import { composeRegistry, loadModels, parsePath, type FileMatcher, type ModelFile, type ModelRegistry } from './models';
import type { Config, ModelPolicy, RuleSetting, TaintRuleDef } from './config';
import type { Severity } from './types';
import { taintRuleMeta, type RuleMeta } from '../rules';

/** A configuration or pack that cannot be used: the CLI prints the message and exits 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly PackIssue[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** One problem in a pack: where it is (file, 1-based line and column, path inside the pack) and what is wrong. */
export interface PackIssue {
  file: string;
  line?: number;
  column?: number;
  /** The path inside the pack, e.g. `taintRules[0].sinks[1]` (empty for the whole file). */
  path: string;
  message: string;
}

export const PACK_FORMAT_VERSION = 1;
/** Largest pack or configuration file read (bytes). */
export const MAX_PACK_BYTES = 1_000_000;
/** Deepest nesting of mappings and sequences accepted. */
export const MAX_PACK_DEPTH = 64;
/** YAML aliases (`*name`) accepted in one file: enough for sharing, far too few for a "billion laughs". */
export const MAX_PACK_ALIASES = 50;
/** Longest chain of `extends` and the most files one configuration may pull in. */
export const MAX_EXTENDS_DEPTH = 16;
export const MAX_PACK_FILES = 64;
/** Longest regular expression a pack may supply. */
export const MAX_PATTERN_LENGTH = 500;

/** Names of the fixes the engine can build; a taint rule's `fix` names one of them. */
export const FIX_BUILDERS = [
  'move-to-user-message',
  'wrap-openai-guardrails',
  'add-needs-approval',
  'exec-to-execfile',
  'add-path-containment',
  'pin-model-revision',
] as const;
export type FixBuilderName = (typeof FIX_BUILDERS)[number];

/** Source kinds a taint rule can select (besides ids of source rows). */
export const SOURCE_SELECTORS = ['untrusted', 'retrieved', 'llm-output', 'tool-argument'] as const;
/** Sink kinds a taint rule can select (besides ids of sink and dangerous rows). */
export const SINK_SELECTORS = ['instructions', 'shell', 'code', 'file-write', 'file-read', 'network', 'sql', 'html'] as const;

export const BUILTIN_PACKS = ['wirecheck:recommended', 'wirecheck:strict'] as const;
/** File names of a pack at the root of an npm package (when its package.json has no `wirecheck` field). */
export const PACKAGE_PACK_NAMES = ['wirecheck-pack.yaml', 'wirecheck-pack.yml', 'wirecheck-pack.json'];

const BUILTIN_RULE_IDS = [
  'prompt-injection/untrusted-input-in-instructions',
  'rag-as-instructions/retrieved-text-in-instructions',
  'overprivileged-tool/dangerous-tool-without-gate',
  'unpinned-model/unpinned-model-download',
  'output-to-sink/model-output-to-dangerous-sink',
];
const CATEGORIES = ['prompt-injection', 'rag-as-instructions', 'overprivileged-tool', 'unpinned-model', 'output-to-sink'];

// ───────────────────────────── safe patterns ─────────────────────────────

interface LinearRegExp {
  test(s: string): boolean;
}
type Re2Ctor = new (pattern: string, flags?: string) => LinearRegExp;
let re2Ctor: Re2Ctor | undefined;

/**
 * Compiles a pack-supplied regular expression with RE2 (linear-time matching, no backreferences or
 * lookaround). Throws with RE2's reason when the pattern is not one it can run.
 */
export function linearRegExp(pattern: string): LinearRegExp {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`the pattern is ${pattern.length} characters long, over the limit of ${MAX_PATTERN_LENGTH}`);
  re2Ctor ??= (require('re2-wasm') as { RE2: Re2Ctor }).RE2;
  try {
    return new re2Ctor(pattern, 'u');
  } catch (e) {
    const msg = (e as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /s, '');
    throw new Error(`not a pattern that runs in linear time (RE2 syntax: no backreferences or lookaround): ${msg}`);
  }
}

const SOURCE_EXT = '(?:ts|tsx|mts|cts|js|jsx|mjs|cjs)';

/** A glob (`src/lib/llm.ts`, `**\/lib/llm.*`, `packages/*\/src/{llm,ai}.ts`) as an RE2 pattern over root-relative paths. */
export function globToPattern(glob: string): string {
  let g = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (g.startsWith('/') || g.split('/').includes('..')) throw new Error(`'${glob}' must be relative to the scan root, inside it`);
  if (!g.includes('/')) g = '**/' + g;
  const last = g.slice(g.lastIndexOf('/') + 1);
  const bare = !/\.[^./*?{}]*$|\.\*$|\.\{[^}]*\}$/.test(last) && !last.endsWith('*');
  const conv = (s: string, inBraces: boolean): string => {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (c === '*' && s[i + 1] === '*') {
        const slash = s[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else if (c === '*') out += '[^/]*';
      else if (c === '?') out += '[^/]';
      else if (c === '{' && !inBraces) {
        const end = s.indexOf('}', i);
        if (end < 0) throw new Error(`'${glob}' has an unclosed '{'`);
        out += '(?:' + s.slice(i + 1, end).split(',').map((alt) => conv(alt, true)).join('|') + ')';
        i = end;
      } else if (/[\w/-]/.test(c)) out += c;
      else out += '\\' + c;
    }
    return out;
  };
  let re = '^' + conv(g, false);
  if (bare) re += `(?:\\.${SOURCE_EXT}|/index\\.${SOURCE_EXT})?`;
  return re + '$';
}

/** A matcher over root-relative paths for a model's `files` globs (RE2; throws on a bad glob). */
export function globMatcher(globs: readonly string[]): FileMatcher {
  const res = globs.map((g) => linearRegExp(globToPattern(g)));
  return (rel) => res.some((r) => r.test(rel));
}

/** `*.acme.internal` and `huggingface.co` against a host name (no regular expression). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((a) => {
    const p = a.toLowerCase();
    if (p.startsWith('*.')) return h.endsWith(p.slice(1)) && h.length > p.length - 1;
    return h === p || (p.includes(':') ? false : h.split(':')[0] === p);
  });
}

// ───────────────────────────── reading ─────────────────────────────

type JsonPath = (string | number)[];

interface LoadedFile {
  /** Absolute path, or `wirecheck:<name>` for a built-in pack. */
  file: string;
  /** How the file is named in messages (relative to the cwd when possible). */
  display: string;
  data: unknown;
  /** 1-based line and column of a value (or of the nearest enclosing one) in the file. */
  locate(p: JsonPath): { line: number; column: number } | undefined;
}

function displayName(file: string, cwd = process.cwd()): string {
  if (file.startsWith('wirecheck:')) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function fail(file: string, message: string, where?: { line: number; column: number }, p = ''): never {
  const issue: PackIssue = { file, path: p, message, ...(where ? { line: where.line, column: where.column } : {}) };
  throw new ConfigError(formatIssue(issue), [issue]);
}

export function formatIssue(i: PackIssue): string {
  const at = i.line ? `${i.file}:${i.line}:${i.column ?? 1}` : i.file;
  return `${at}: ${i.path ? `${i.path}: ` : ''}${i.message}`;
}

export function pathString(p: JsonPath): string {
  let out = '';
  for (const seg of p) out += typeof seg === 'number' ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? (out ? '.' : '') + seg : `[${JSON.stringify(seg)}]`;
  return out;
}

/**
 * Bounds the nesting of a YAML or JSON text before a parser sees it (the parsers recurse, and a
 * hostile file nests thousands deep). Counts flow brackets where YAML opens collections and block
 * indentation levels; an approximation that never under-counts a real structure by much, with the
 * exact check done on the parsed value.
 */
function prescanDepth(text: string): { depth: number; line: number } | undefined {
  let flow = 0;
  const indents: number[] = [];
  let line = 1;
  let scalarIndent = -1;
  let lineStart = 0;
  let atLineStart = true;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // start of a line (outside flow collections): block indentation
    if (atLineStart) {
      atLineStart = false;
      let j = i;
      while (j < n && text[j] === ' ') j++;
      const indent = j - i;
      const blank = j >= n || text[j] === '\n' || text[j] === '\r' || text[j] === '#';
      if (scalarIndent >= 0 && (blank || indent > scalarIndent)) {
        // inside a block scalar (`|` / `>`): text, not structure
        const nl = text.indexOf('\n', i);
        if (nl < 0) break;
        i = lineStart = nl + 1;
        atLineStart = true;
        line++;
        continue;
      }
      scalarIndent = -1;
      if (flow === 0 && !blank) {
        const levels = [indent];
        let k = j;
        while (text[k] === '-' && (text[k + 1] === ' ' || text[k + 1] === '\n')) {
          k += 1;
          while (text[k] === ' ') k++;
          levels.push(k - i);
        }
        for (const lv of levels) {
          while (indents.length && indents[indents.length - 1] >= lv) indents.pop();
          indents.push(lv);
        }
        if (indents.length > MAX_PACK_DEPTH) return { depth: indents.length, line };
      }
      i = j;
      continue;
    }
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      atLineStart = true;
      continue;
    }
    const prev = prevSignificant(text, i, lineStart);
    if ((c === '"' || c === "'") && (prev === '' || ':-[{,?'.includes(prev))) {
      // a quoted scalar: skip it
      i++;
      while (i < n) {
        const d = text[i];
        if (d === '\n') {
          line++;
          lineStart = i + 1;
          i++;
          // a quoted scalar may span lines; indentation inside it is not structure
          continue;
        }
        if (c === '"' && d === '\\') i += 2;
        else if (d === c) {
          if (c === "'" && text[i + 1] === "'") i += 2;
          else {
            i++;
            break;
          }
        } else i++;
      }
      continue;
    }
    if (c === '#' && (i === lineStart || /\s/.test(text[i - 1] ?? ' '))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) break;
      i = nl;
      continue;
    }
    if ((c === '[' || c === '{') && (prev === '' || ':-[{,?'.includes(prev))) {
      flow++;
      if (flow + indents.length > MAX_PACK_DEPTH) return { depth: flow + indents.length, line };
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    else if ((c === '|' || c === '>') && flow === 0 && (prev === ':' || prev === '-')) {
      const rest = text.slice(i + 1, text.indexOf('\n', i) < 0 ? n : text.indexOf('\n', i));
      if (/^[-+0-9]*\s*(#.*)?$/.test(rest)) scalarIndent = indents.length ? indents[indents.length - 1] : 0;
    }
    i++;
  }
  return undefined;
}

function prevSignificant(text: string, i: number, lineStart: number): string {
  for (let k = i - 1; k >= lineStart; k--) if (text[k] !== ' ' && text[k] !== '\t') return text[k];
  return '';
}

/** The exact nesting depth of a parsed value (iterative: no recursion on hostile input). */
function depthOf(v: unknown): number {
  let max = 0;
  const stack: { v: unknown; d: number }[] = [{ v, d: 0 }];
  while (stack.length) {
    const { v: x, d } = stack.pop()!;
    if (d > max) max = d;
    if (max > MAX_PACK_DEPTH) return max;
    if (x && typeof x === 'object') for (const c of Object.values(x)) if (c && typeof c === 'object') stack.push({ v: c, d: d + 1 });
  }
  return max;
}

/** Reads and parses a pack or configuration file within the limits; `jsonKey` selects a key of the parsed document (package.json `wirecheck`). */
function readFile(file: string, text: string | undefined, jsonKey: string | undefined, cwd: string): LoadedFile {
  const display = displayName(file, cwd);
  if (text === undefined) {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch (e) {
      fail(display, `cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    if (!st.isFile()) fail(display, 'cannot read: not a file');
    if (st.size > MAX_PACK_BYTES) fail(display, `is ${st.size} bytes, over the limit of ${MAX_PACK_BYTES} bytes for a pack or configuration file`);
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      fail(display, `cannot read: ${(e as Error).message}`);
    }
  }
  if (text.length > MAX_PACK_BYTES) fail(display, `is ${text.length} characters, over the limit of ${MAX_PACK_BYTES} for a pack or configuration file`);
  const deep = prescanDepth(text);
  if (deep) fail(display, `nests deeper than ${MAX_PACK_DEPTH} levels`, { line: deep.line, column: 1 });
  const isJson = file.endsWith('.json');
  const lineCounter = new YAML.LineCounter();
  let doc: YAML.Document.Parsed | undefined;
  const parseDoc = () => {
    if (!doc) {
      doc = YAML.parseDocument(text!, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
    }
    return doc;
  };
  let data: unknown;
  if (isJson) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const pos = m ? Number(m[1]) : undefined;
      const where = pos !== undefined ? lineCol(text, pos) : undefined;
      fail(display, `cannot parse: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, where);
    }
  } else {
    const d = parseDoc();
    const err = d.errors[0];
    if (err) fail(display, `cannot parse: ${err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, lineCol(text, err.pos[0]));
    try {
      data = d.toJS({ maxAliasCount: MAX_PACK_ALIASES });
    } catch (e) {
      const msg = (e as Error).message;
      fail(display, /alias/i.test(msg) ? `uses more than ${MAX_PACK_ALIASES} aliases (a YAML alias bomb?); write the values out` : `cannot parse: ${msg}`);
    }
  }
  if (jsonKey !== undefined) data = data && typeof data === 'object' ? ((data as Record<string, unknown>)[jsonKey] ?? {}) : {};
  if (data === null || data === undefined) data = {};
  if (depthOf(data) > MAX_PACK_DEPTH) fail(display, `nests deeper than ${MAX_PACK_DEPTH} levels`);
  const prefix: JsonPath = jsonKey !== undefined ? [jsonKey] : [];
  return {
    file,
    display,
    data,
    locate(p) {
      try {
        const d = parseDoc();
        for (let k = p.length; k >= 0; k--) {
          const node = d.getIn([...prefix, ...p.slice(0, k)], true) as YAML.Node | undefined;
          const range = node && (node as { range?: [number, number, number] }).range;
          if (range) {
            // point at the key of a mapping entry when the value is a collection (its line is the key's)
            const pos = lineCounter.linePos(range[0]);
            return { line: pos.line, column: pos.col };
          }
        }
      } catch {
        // locations are a convenience: a document that cannot be re-read has none
      }
      return undefined;
    },
  };
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < pos && i < text.length; i++) if (text[i] === '\n') {
    line++;
    last = i;
  }
  return { line, column: pos - last };
}

// ───────────────────────────── schema ─────────────────────────────

let ajv: Ajv | undefined;
let validatePackFn: ValidateFunction | undefined;
let validateConfigFn: ValidateFunction | undefined;

function schemas(): { pack: ValidateFunction; config: ValidateFunction } {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
    ajv.addSchema(modelSchema);
    for (const s of extraSchemas()) ajv.addSchema(s);
    ajv.addSchema(packSchema);
    ajv.addSchema(configSchema);
    validatePackFn = ajv.getSchema(packSchema.$id)!;
    validateConfigFn = ajv.getSchema(configSchema.$id)!;
  }
  return { pack: validatePackFn!, config: validateConfigFn! };
}

/** Schemas the pack and config schemas reference besides the model schema. */
function extraSchemas(): object[] {
  return [sandboxSchema];
}

function decodePointer(p: string): JsonPath {
  if (!p) return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function schemaIssues(errors: readonly ErrorObject[], loaded: LoadedFile, data: unknown): PackIssue[] {
  // a oneOf/anyOf reports every branch: keep the errors of the branch that fits the value's type
  const others = (e: ErrorObject) =>
    errors.some((o) => o !== e && o.keyword !== 'oneOf' && o.keyword !== 'anyOf' && (o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/')));
  const isCollection = (e: ErrorObject) => {
    const v = valueAt(data, decodePointer(e.instancePath));
    return !!v && typeof v === 'object';
  };
  const kept = errors.filter((e) => {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'type') return !others(e);
    if (e.keyword === 'enum' || e.keyword === 'const') return !(isCollection(e) && others(e));
    return true;
  });
  const seen = new Set<string>();
  const out: PackIssue[] = [];
  for (const e of kept.length ? kept : errors) {
    let p = decodePointer(e.instancePath);
    let message = e.message ?? 'is not valid';
    if (e.keyword === 'additionalProperties') {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      p = [...p, prop];
      message = `unknown property '${prop}'`;
      const known = schemaPropertiesAt(decodePointer(e.instancePath), data);
      if (known.length) message += ` (expected one of: ${known.join(', ')})`;
    } else if (e.keyword === 'enum') {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      message = `must be one of: ${allowed.map((a) => String(a)).join(', ')} (got ${JSON.stringify(valueAt(data, p))})`;
    } else if (e.keyword === 'const' && e.instancePath === '/wirecheck') {
      message = `unsupported pack format ${JSON.stringify(valueAt(data, p))}: this Wirecheck reads format ${PACK_FORMAT_VERSION} (\`wirecheck: ${PACK_FORMAT_VERSION}\`)`;
    } else if (e.keyword === 'required') {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      message = prop === 'wirecheck' ? `missing the pack format field: add \`wirecheck: ${PACK_FORMAT_VERSION}\`` : `missing required property '${prop}'`;
    } else if (e.keyword === 'pattern') {
      const v = JSON.stringify(valueAt(data, p));
      const last = p[p.length - 1];
      const parent = p[p.length - 2];
      if (last === 'id' && p[0] === 'taintRules') message = `${v} is not a rule id: lower-case words with a namespace, such as 'acme/kb-text-in-system-prompt'`;
      else if (last === 'id') message = `${v} is not a row id: a letter, then letters, digits, '.', '_' or '-'`;
      else if (parent === 'allowedHosts' || parent === 'allowHosts') message = `${v} is not a host name (or '*.' and a domain)`;
      else if (parent === 'cwe') message = `${v} is not a CWE id such as 'CWE-1427'`;
      else if (parent === 'owasp') message = `${v} is not an OWASP LLM Top 10 id such as 'LLM01'`;
      else if (last === 'helpUri') message = `${v} is not an http(s) URL`;
      else if (/\\w\$\*<>\(\)/.test((e.params as { pattern: string }).pattern) || /\\w\$\*\]\+/.test((e.params as { pattern: string }).pattern))
        message = `${v} is not an access path: an export (or type) name, then \`.member\` segments; \`()\` marks a call, \`*\` is a wildcard inside one name`;
      else message = `${v} does not have the expected form (${(e.params as { pattern: string }).pattern})`;
    } else if (e.keyword === 'propertyNames') {
      message = `property name ${JSON.stringify((e.params as { propertyName?: string }).propertyName ?? '')} is not a valid rule id`;
    } else if (e.keyword === 'anyOf' && /\/models\/\d+$/.test(e.instancePath)) {
      message = 'a model needs `modules` (npm packages) or `files` (workspace files)';
    } else if (e.keyword === 'anyOf' && /\/sanitizers\/\d+$/.test(e.instancePath)) {
      message = 'a sanitizer needs `for` (what its result is safe for) or an `id` (for the taint rules that name it), unless it is an `asserts` or `predicate` validator';
    }
    const key = pathString(p) + '\0' + message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: loaded.display, path: pathString(p), message, ...loaded.locate(p) });
  }
  return out.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function valueAt(data: unknown, p: JsonPath): unknown {
  let v = data;
  for (const s of p) v = v && typeof v === 'object' ? (v as Record<string | number, unknown>)[s] : undefined;
  return v;
}

/** Known property names at a path of a pack (for "did you mean" hints on the main sections). */
function schemaPropertiesAt(p: JsonPath, _data: unknown): string[] {
  if (p.length === 0) return Object.keys(packSchema.properties).filter((k) => k !== '$schema');
  if (p.length === 2 && p[0] === 'taintRules') return Object.keys(packSchema.definitions.taintRule.properties);
  if (p.length === 1 && p[0] === 'modelPolicy') return Object.keys(packSchema.definitions.modelPolicy.properties);
  if (p.length === 2 && p[0] === 'models') return Object.keys(modelSchema.properties).filter((k) => k !== '$schema');
  return [];
}

// ───────────────────────────── semantic checks ─────────────────────────────

const ROW_FAMILIES = ['sinks', 'sources', 'callbacks', 'summaries', 'guards', 'templates', 'retrievalChains', 'dangerous', 'sanitizers', 'tools', 'toolGates', 'downloads'] as const;
const PATH_KEYS = ['call', 'member', 'iterate', 'decorator', 'new', 'extends'] as const;

let builtinPackages: Set<string> | undefined;
function builtinModelPackages(): Set<string> {
  builtinPackages ??= new Set(loadModels().models.keys());
  return builtinPackages;
}

/** Checks of one file that the schema cannot express. */
function checkOwn(loaded: LoadedFile, data: Config): PackIssue[] {
  const out: PackIssue[] = [];
  const issue = (p: JsonPath, message: string) => out.push({ file: loaded.display, path: pathString(p), message, ...loaded.locate(p) });
  // models
  const packages = new Map<string, number>();
  const rowIds = new Map<string, JsonPath>();
  (data.models ?? []).forEach((m, mi) => {
    const at = (...p: JsonPath) => ['models', mi, ...p];
    if (builtinModelPackages().has(m.package))
      issue(at('package'), `'${m.package}' is already a built-in Wirecheck model; give this model its own name (it can still describe the same \`modules\`)`);
    if (packages.has(m.package)) issue(at('package'), `duplicate model '${m.package}' (also models[${packages.get(m.package)}])`);
    packages.set(m.package, mi);
    (m.modules ?? []).forEach((spec, i) => {
      if (spec.startsWith('.') || spec.startsWith('/'))
        issue(at('modules', i), `'${spec}' is a relative path, which depends on the importing file and so cannot match; name workspace files with \`files\` (for example \`files: [src/lib/llm.ts]\`)`);
    });
    (m.files ?? []).forEach((g, i) => {
      try {
        linearRegExp(globToPattern(g));
      } catch (e) {
        issue(at('files', i), `cannot match: ${(e as Error).message}`);
      }
    });
    const typeNames = new Set(Object.keys(m.types ?? {}));
    for (const [name, pats] of Object.entries(m.types ?? {})) {
      if (name.includes(':')) {
        const target = name.split(':')[0];
        if (target !== m.package && !builtinModelPackages().has(target) && !(data.models ?? []).some((x) => x.package === target))
          issue(at('types', name), `'${name}' aliases a type of model '${target}', which does not exist`);
      }
      pats.forEach((pth, i) => checkPath(pth, at('types', name, i), typeNames, issue));
    }
    // in the order the file lists them, so that a duplicate is reported where it comes second
    for (const fam of Object.keys(m).filter((k): k is (typeof ROW_FAMILIES)[number] => (ROW_FAMILIES as readonly string[]).includes(k))) {
      const rows = (m as unknown as Record<string, Record<string, unknown>[] | undefined>)[fam] ?? [];
      rows.forEach((row, ri) => {
        for (const key of PATH_KEYS) {
          const list = row[key];
          if (Array.isArray(list)) list.forEach((pth, i) => checkPath(String(pth), at(fam, ri, key, i), typeNames, issue));
        }
        if (typeof row.id === 'string') {
          const prev = rowIds.get(row.id);
          if (prev) issue(at(fam, ri, 'id'), `duplicate row id '${row.id}' (also ${pathString(prev)})`);
          else rowIds.set(row.id, at(fam, ri, 'id'));
          if ((SOURCE_SELECTORS as readonly string[]).includes(row.id) || (SINK_SELECTORS as readonly string[]).includes(row.id))
            issue(at(fam, ri, 'id'), `'${row.id}' is a built-in selector name; choose another row id`);
        }
        if (fam === 'sinks' && !row.as && !row.fields) issue(at(fam, ri), 'a sink needs `as` (the channel of argument `arg`) or `fields` (channels of fields of that argument)');
        if (fam === 'downloads') {
          if (typeof row.model === 'string' && !/^arg\d+(\.[\w$.]+)?$/.test(row.model)) issue(at(fam, ri, 'model'), `'${row.model}' cannot match: use \`argN\` or \`argN.field\``);
          if (typeof row.revision === 'string' && !/^arg\d+\.[\w$.]+$/.test(row.revision)) issue(at(fam, ri, 'revision'), `'${row.revision}' cannot match: use \`argN.field\``);
        }
        if (fam === 'tools' && typeof row.handler === 'string' && !/^(arg\d+|last|field:[\w$]+|method:[\w$]+)$/.test(row.handler))
          issue(at(fam, ri, 'handler'), `'${row.handler}' cannot match: use \`argN\`, \`last\`, \`field:<name>\` or \`method:<name>\``);
        if (fam === 'tools' && !row.call && !row.suffix && !row.extends) issue(at(fam, ri), 'a tool row needs `call`, `suffix` or `extends`');
        if (fam === 'sources' && !PATH_KEYS.some((k) => row[k]) && !row.suffix) issue(at(fam, ri), 'a source needs `call`, `member`, `iterate`, `decorator` or `suffix`');
        if (fam === 'sanitizers' && row.mode && row.mode !== 'returns' && Array.isArray(row.for) && !(row.for as string[]).includes('all'))
          issue(at(fam, ri, 'for'), `an \`${row.mode}\` validator validates the value for every use; leave out \`for\` (or write \`for: [all]\`)`);
      });
    }
  });
  // taint rules
  const ruleIds = new Map<string, number>();
  (data.taintRules ?? []).forEach((r, ri) => {
    if (BUILTIN_RULE_IDS.includes(r.id) || CATEGORIES.includes(r.id)) issue(['taintRules', ri, 'id'], `'${r.id}' is a built-in rule id; choose a namespaced id such as 'acme/${r.id.split('/').pop()}'`);
    if (ruleIds.has(r.id)) issue(['taintRules', ri, 'id'], `duplicate rule id '${r.id}' (also taintRules[${ruleIds.get(r.id)}])`);
    ruleIds.set(r.id, ri);
    if (!(FIX_BUILDERS as readonly string[]).includes(r.fix ?? FIX_BUILDERS[0])) issue(['taintRules', ri, 'fix'], `unknown fix builder '${r.fix}' (expected one of: ${FIX_BUILDERS.join(', ')})`);
    const unknownPlaceholder = /\{\{(?!source\}\}|sink\}\})[^}]*\}\}/.exec(r.message);
    if (unknownPlaceholder) issue(['taintRules', ri, 'message'], `unknown placeholder ${unknownPlaceholder[0]} (use {{source}} and {{sink}})`);
  });
  // policy
  if (data.modelPolicy?.tagPattern !== undefined) {
    try {
      linearRegExp(data.modelPolicy.tagPattern);
    } catch (e) {
      issue(['modelPolicy', 'tagPattern'], (e as Error).message);
    }
    if (data.modelPolicy.revision !== 'tag') issue(['modelPolicy', 'tagPattern'], 'applies only with `revision: tag`');
  }
  return out;
}

function checkPath(p: string, at: JsonPath, typeNames: Set<string>, issue: (p: JsonPath, m: string) => void): void {
  let tokens: string[];
  try {
    tokens = parsePath(p);
  } catch (e) {
    issue(at, `cannot match: ${(e as Error).message}`);
    return;
  }
  if (p.split('.').some((s) => s === '')) issue(at, `'${p}' cannot match: it has an empty segment`);
  else if (!tokens.length || tokens[0] === '()') issue(at, `'${p}' cannot match: a path starts with an export name, a global or a type from \`types\``);
  else if (tokens.some((t, i) => i > 0 && t === '*')) {
    // `a.*` is fine (any member); nothing to report
  }
  if (tokens[0] && /^[A-Z]/.test(tokens[0]) && tokens.length > 1 && !typeNames.has(tokens[0]) && tokens[1] !== '()' && /^[a-z]/.test(tokens[1] ?? '') && typeNames.size > 0 && similar(tokens[0], typeNames))
    issue(at, `'${p}' starts with '${tokens[0]}', which is not a type of this model (did you mean '${similar(tokens[0], typeNames)}'?)`);
}

function similar(name: string, names: Set<string>): string | undefined {
  const lower = name.toLowerCase();
  for (const n of names) if (n.toLowerCase() === lower || editDistance(n.toLowerCase(), lower) <= 2) return n;
  return undefined;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2 || a.length > 64 || b.length > 64) return 99;
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** Checks that need what a file extends: references of taint rules to rows, rule ids in `rules`. */
function checkMerged(loaded: LoadedFile, own: Config, merged: Config): PackIssue[] {
  const out: PackIssue[] = [];
  const issue = (p: JsonPath, message: string) => out.push({ file: loaded.display, path: pathString(p), message, ...loaded.locate(p) });
  const ids = { sources: new Set<string>(), sinks: new Set<string>(), sanitizers: new Set<string>() };
  for (const m of merged.models ?? []) {
    for (const r of m.sources ?? []) if (r.id) ids.sources.add(r.id);
    for (const r of [...(m.sinks ?? []), ...(m.dangerous ?? [])]) if (r.id) ids.sinks.add(r.id);
    for (const r of m.sanitizers ?? []) if (r.id) ids.sanitizers.add(r.id);
  }
  const known = (set: Set<string>, builtin: readonly string[], what: string, list: string[] | undefined, at: (i: number) => JsonPath) =>
    (list ?? []).forEach((s, i) => {
      if (builtin.includes(s) || set.has(s)) return;
      const hint = [...builtin, ...set].find((x) => editDistance(x, s) <= 2);
      issue(at(i), `unknown ${what} '${s}'${hint ? ` (did you mean '${hint}'?)` : ''}: use ${builtin.length ? `one of ${builtin.join(', ')} or ` : ''}the id of a ${what === 'sink' ? 'sink or dangerous' : what} row in \`models\``);
    });
  (own.taintRules ?? []).forEach((r, ri) => {
    known(ids.sources, SOURCE_SELECTORS, 'source', r.sources, (i) => ['taintRules', ri, 'sources', i]);
    known(ids.sinks, SINK_SELECTORS, 'sink', r.sinks, (i) => ['taintRules', ri, 'sinks', i]);
    known(ids.sanitizers, [], 'sanitizer', r.sanitizers, (i) => ['taintRules', ri, 'sanitizers', i]);
  });
  const ruleIds = new Set([...BUILTIN_RULE_IDS, ...CATEGORIES, ...(merged.taintRules ?? []).map((r) => r.id)]);
  for (const [id, setting] of Object.entries(own.rules ?? {})) {
    if (!ruleIds.has(id)) {
      const hint = [...ruleIds].find((x) => editDistance(x, id) <= 3);
      issue(['rules', id], `unknown rule '${id}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
      continue;
    }
    if (typeof setting === 'object' && setting.options && !BUILTIN_RULE_IDS.includes(id)) issue(['rules', id, 'options'], `rule '${id}' has no options`);
  }
  return out;
}

// ───────────────────────────── extends ─────────────────────────────

function builtinPackText(name: string): { file: string; text: string } | undefined {
  const short = name.slice('wirecheck:'.length);
  if (!/^[a-z][a-z0-9-]*$/.test(short)) return undefined;
  for (const dir of [path.resolve(__dirname, '../packs'), path.resolve(__dirname, '../analyzers/packs')]) {
    const f = path.join(dir, short + '.yaml');
    if (fs.existsSync(f)) return { file: f, text: fs.readFileSync(f, 'utf8') };
  }
  // the bundle ships them as dist/packs.json
  const bundled = path.resolve(__dirname, 'packs.json');
  if (fs.existsSync(bundled)) {
    const all = JSON.parse(fs.readFileSync(bundled, 'utf8')) as Record<string, string>;
    if (typeof all[short] === 'string') return { file: name, text: all[short] };
  }
  return undefined;
}

/** Where an `extends` entry points: a built-in pack, a file relative to `fromFile`, or an npm package's pack file. */
export function resolveExtendsTarget(spec: string, fromFile: string, cwd = process.cwd()): { file: string; text?: string } | { error: string } {
  const displayName = (f: string) => displayNameIn(f, cwd);
  if (spec.startsWith('wirecheck:')) {
    const b = builtinPackText(spec);
    return b ? { file: spec, text: b.text } : { error: `unknown built-in pack '${spec}' (built-in packs: ${BUILTIN_PACKS.join(', ')})` };
  }
  const baseDir = fromFile.startsWith('wirecheck:') ? process.cwd() : path.dirname(fromFile);
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const f = path.resolve(baseDir, spec);
    return fs.existsSync(f) ? { file: f } : { error: `cannot resolve '${spec}': no such file ${displayName(f)}` };
  }
  const m = /^((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)(?:\/(.+))?$/i.exec(spec);
  if (!m) return { error: `cannot resolve '${spec}': not a built-in pack (wirecheck:…), a relative file (./…) or an npm package name` };
  const [, pkg, sub] = m;
  for (let dir = baseDir; ; ) {
    const pkgDir = path.join(dir, 'node_modules', pkg);
    if (fs.existsSync(path.join(pkgDir, 'package.json'))) {
      const inside = (f: string) => {
        const rel = path.relative(pkgDir, f);
        return !rel.startsWith('..') && !path.isAbsolute(rel);
      };
      if (sub) {
        const f = path.resolve(pkgDir, sub);
        if (!inside(f)) return { error: `cannot resolve '${spec}': the path leaves the package` };
        return fs.existsSync(f) ? { file: f } : { error: `cannot resolve '${spec}': the package ${pkg} has no ${sub}` };
      }
      let field: unknown;
      try {
        const st = fs.statSync(path.join(pkgDir, 'package.json'));
        if (st.size > MAX_PACK_BYTES) return { error: `cannot resolve '${spec}': its package.json is over ${MAX_PACK_BYTES} bytes` };
        field = (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { wirecheck?: unknown }).wirecheck;
      } catch (e) {
        return { error: `cannot resolve '${spec}': its package.json cannot be read (${(e as Error).message})` };
      }
      if (field !== undefined) {
        if (typeof field !== 'string') return { error: `cannot resolve '${spec}': the "wirecheck" field of its package.json must be the path of the pack file` };
        const f = path.resolve(pkgDir, field);
        if (!inside(f)) return { error: `cannot resolve '${spec}': its "wirecheck" field points outside the package` };
        return fs.existsSync(f) ? { file: f } : { error: `cannot resolve '${spec}': its "wirecheck" field names ${field}, which does not exist` };
      }
      for (const n of PACKAGE_PACK_NAMES) if (fs.existsSync(path.join(pkgDir, n))) return { file: path.join(pkgDir, n) };
      return { error: `cannot resolve '${spec}': the package ${pkg} exposes no pack (no "wirecheck" field in its package.json and no ${PACKAGE_PACK_NAMES[0]} at its root)` };
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { error: `cannot resolve '${spec}': package ${pkg} is not installed (looked in node_modules from ${displayName(baseDir)} upwards)` };
}

interface LoadContext {
  files: number;
  /** Files are named relative to this folder in messages. */
  cwd: string;
}

const displayNameIn = (f: string, cwd: string) => displayName(f, cwd);

/** Options for reading a configuration or pack. */
interface ReadOptions {
  /** `pack`: the format field is required; `config`: a project configuration (may hold ignores). */
  kind: 'pack' | 'config';
  text?: string;
  jsonKey?: string;
}

function loadResolved(file: string, opts: ReadOptions, chain: string[], ctx: LoadContext, collect?: PackIssue[]): Config {
  if (++ctx.files > MAX_PACK_FILES) fail(displayName(file, ctx.cwd), `extends pulls in more than ${MAX_PACK_FILES} packs`);
  const loaded = readFile(file, opts.text, opts.jsonKey, ctx.cwd);
  const { pack, config } = schemas();
  const validate = opts.kind === 'pack' ? pack : config;
  if (!loaded.data || typeof loaded.data !== 'object' || Array.isArray(loaded.data)) fail(loaded.display, `must be a mapping of settings (got ${Array.isArray(loaded.data) ? 'a list' : typeof loaded.data})`);
  const raise = (issues: PackIssue[]): never => {
    if (collect) {
      collect.push(...issues);
      throw new CollectedIssues();
    }
    const shown = issues.slice(0, 10).map(formatIssue);
    if (issues.length > 10) shown.push(`… and ${issues.length - 10} more problems`);
    const what = opts.kind === 'pack' ? 'rule pack' : 'configuration';
    throw new ConfigError(`${loaded.display}: invalid ${what}${issues.length > 1 ? ` (${issues.length} problems)` : ''}:\n  ${shown.join('\n  ')}`, issues);
  };
  if (!validate(loaded.data)) raise(schemaIssues(validate.errors ?? [], loaded, loaded.data));
  const own = loaded.data as Config;
  // problems of this file itself are reported together with those that need what it extends
  const ownIssues = checkOwn(loaded, own);
  let merged: Config = {};
  const extendsIssues: PackIssue[] = [];
  const ext = own.extends === undefined ? [] : Array.isArray(own.extends) ? own.extends : [own.extends];
  const named = (f: string) => displayName(f, ctx.cwd);
  if (ext.length && chain.length >= MAX_EXTENDS_DEPTH) fail(loaded.display, `extends nests more than ${MAX_EXTENDS_DEPTH} packs deep: ${[...chain, file].map(named).join(' → ')}`);
  ext.forEach((spec, i) => {
    const at: JsonPath = Array.isArray(own.extends) ? ['extends', i] : ['extends'];
    const target = resolveExtendsTarget(spec, file, ctx.cwd);
    if ('error' in target) {
      extendsIssues.push({ file: loaded.display, path: pathString(at), message: target.error, ...loaded.locate(at) });
      return;
    }
    const t = target;
    if (t.file === file || chain.includes(t.file)) {
      const cycle = [...chain.slice(chain.indexOf(t.file) < 0 ? chain.length : chain.indexOf(t.file)), file, t.file].map(named);
      raise([{ file: loaded.display, path: pathString(at), message: `extends cycle: ${cycle.join(' → ')}`, ...loaded.locate(at) }]);
    }
    const sub = loadResolved(t.file, { kind: 'pack', text: t.text }, [...chain, file], ctx, collect);
    merged = mergeConfigs(merged, sub);
  });
  const { extends: _ext, $schema: _s, wirecheck: _w, ...body } = own;
  const stamped: Config = { ...body };
  if (stamped.taintRules) stamped.taintRules = stamped.taintRules.map((r) => ({ ...r, pack: own.name ?? loaded.display }));
  merged = mergeConfigs(merged, stamped);
  // references into a pack that could not be resolved would all look unknown: check them once it resolves
  const cross = extendsIssues.length ? [] : checkMerged(loaded, own, merged);
  const issues = [...extendsIssues, ...ownIssues, ...cross].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (issues.length) raise(issues);
  return merged;
}

class CollectedIssues extends Error {}

/** Merges `over` onto `base`: later settings win, lists of models and rules are joined (same name or id: replaced). */
export function mergeConfigs(base: Config, over: Config): Config {
  const out: Config = { ...base };
  for (const [key, value] of Object.entries(over) as [keyof Config, unknown][]) {
    if (value === undefined) continue;
    switch (key) {
      case 'rules': {
        const rules: Record<string, RuleSetting> = { ...(base.rules ?? {}) };
        // a later category setting overrides earlier settings of that category's rules (their severity)
        for (const [key, s] of Object.entries(value as Record<string, RuleSetting>)) {
          if (!CATEGORIES.includes(key) || (typeof s === 'object' && s.severity === undefined)) continue;
          const inCategory = (id: string) => id.startsWith(key + '/') || (base.taintRules ?? []).some((r) => r.id === id && r.category === key);
          for (const [id, prev] of Object.entries(rules)) {
            if (id === key || !inCategory(id)) continue;
            if (typeof prev === 'string') delete rules[id];
            else {
              const { severity: _drop, ...rest } = prev;
              rules[id] = rest;
            }
          }
        }
        for (const [id, s] of Object.entries(value as Record<string, RuleSetting>)) {
          const prev = rules[id];
          if (typeof s === 'object' && typeof prev === 'object') rules[id] = { ...prev, ...s, options: s.options ?? prev.options };
          else if (typeof s === 'object' && typeof prev === 'string' && s.severity === undefined) rules[id] = { severity: prev, ...s };
          else if (typeof s === 'string' && typeof prev === 'object' && prev.options) rules[id] = { ...prev, severity: s };
          else rules[id] = s;
        }
        out.rules = rules;
        break;
      }
      case 'models': {
        const list = [...(base.models ?? [])];
        for (const m of value as ModelFile[]) {
          const i = list.findIndex((x) => x.package === m.package);
          if (i >= 0) list[i] = m;
          else list.push(m);
        }
        out.models = list;
        break;
      }
      case 'taintRules': {
        const list = [...(base.taintRules ?? [])];
        for (const r of value as TaintRuleDef[]) {
          const i = list.findIndex((x) => x.id === r.id);
          if (i >= 0) list[i] = r;
          else list.push(r);
        }
        out.taintRules = list;
        break;
      }
      case 'ignores':
        out.ignores = [...(base.ignores ?? []), ...(value as string[])];
        break;
      case 'modelPolicy':
        out.modelPolicy = { ...(base.modelPolicy ?? {}), ...(value as ModelPolicy) };
        break;
      case 'sandbox':
        out.sandbox = mergeObjects(base.sandbox ?? {}, value as Record<string, unknown>);
        break;
      default:
        (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** Objects merged key by key (recursively); anything else, lists included, is replaced. */
function mergeObjects(a: Record<string, unknown>, b: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
    out[k] = isObj(prev) && isObj(v) && depth < MAX_PACK_DEPTH ? mergeObjects(prev, v, depth + 1) : v;
  }
  return out;
}

// ───────────────────────────── public loading API ─────────────────────────────

/** Reads a configuration (or pack) file and everything it extends into one configuration; messages name files relative to `cwd`. */
export function loadConfig(file: string, text?: string, cwd = process.cwd()): Config {
  const jsonKey = path.basename(file) === 'package.json' ? 'wirecheck' : undefined;
  return loadResolved(path.resolve(cwd, file), { kind: kindOf(file), text, jsonKey }, [], { files: 0, cwd });
}

function kindOf(file: string): 'pack' | 'config' {
  const base = path.basename(file);
  return base === 'package.json' || /^wirecheck\.config\.(ya?ml|json)$/.test(base) ? 'config' : 'pack';
}

/**
 * A configuration given as data (a language client's settings, a test): resolves its `extends`
 * relative to `baseDir` and validates it. A configuration without `extends` is only validated.
 */
export function resolveConfig(config: Config, baseDir: string): Config {
  const text = JSON.stringify(config);
  return loadResolved(path.join(path.resolve(baseDir), '<configuration>.json'), { kind: 'config', text }, [], { files: 0, cwd: process.cwd() });
}

/** `wirecheck pack validate`: every problem of a pack file (and of what it extends), not only the first. */
export function validatePackFile(file: string, cwd = process.cwd()): { issues: PackIssue[]; config?: Config } {
  const issues: PackIssue[] = [];
  try {
    const jsonKey = path.basename(file) === 'package.json' ? 'wirecheck' : undefined;
    const config = loadResolved(path.resolve(cwd, file), { kind: kindOf(file), jsonKey }, [], { files: 0, cwd }, issues);
    return { issues, config };
  } catch (e) {
    if (e instanceof CollectedIssues) return { issues };
    if (e instanceof ConfigError) return { issues: e.issues.length ? [...e.issues] : [{ file: displayName(file, cwd), path: '', message: e.message }] };
    throw e;
  }
}

// ───────────────────────────── what a session uses ─────────────────────────────

const registries = new WeakMap<Config, ModelRegistry>();

/** The built-in models plus the configuration's own (cached per configuration object). */
export function registryForConfig(config: Config): ModelRegistry {
  const base = loadModels();
  if (!config.models?.length) return base;
  let reg = registries.get(config);
  if (!reg) {
    reg = composeRegistry(base, config.models, globMatcher);
    registries.set(config, reg);
  }
  return reg;
}

/** The model-download policy, compiled (its tag pattern on RE2). */
export interface CompiledModelPolicy {
  allowedHosts?: readonly string[];
  revision: 'sha' | 'tag';
  tag?: LinearRegExp;
}
const policies = new WeakMap<Config, CompiledModelPolicy | undefined>();

export function modelPolicyFor(config: Config): CompiledModelPolicy | undefined {
  if (policies.has(config)) return policies.get(config);
  const p = config.modelPolicy;
  let out: CompiledModelPolicy | undefined;
  if (p && (p.allowedHosts || p.revision || p.tagPattern)) {
    let tag: LinearRegExp | undefined;
    if (p.tagPattern !== undefined) {
      try {
        tag = linearRegExp(p.tagPattern);
      } catch (e) {
        throw new ConfigError(`modelPolicy.tagPattern: ${(e as Error).message}`);
      }
    }
    out = { allowedHosts: p.allowedHosts, revision: p.revision ?? 'sha', tag };
  }
  policies.set(config, out);
  return out;
}

/** A rule's severity and options in a configuration (by id, then by category). */
export function ruleSettingFor(config: Config, id: string, category: string, fallback: Severity): { severity: Severity | 'off'; options: Record<string, unknown> } {
  const norm = (s: RuleSetting | undefined) => (s === undefined ? {} : typeof s === 'string' ? { severity: s } : s);
  const byId = norm(config.rules?.[id]);
  const byCat = norm(config.rules?.[category]);
  return { severity: byId.severity ?? byCat.severity ?? fallback, options: { ...(byId.options ?? {}) } };
}

// ───────────────────────────── taint rules ─────────────────────────────

/** A pack's taint rule, ready to claim raw findings. */
export interface TaintMatcher {
  meta: RuleMeta;
  /** The finding's sink is one the rule names (a row id, `instructions`, a capability). */
  sinkMatches(r: { sinkId?: string; category: string; capability?: string; extra?: boolean }): boolean;
  /** The label comes from a source the rule names. */
  sourceMatches(l: { kind: string; toolArg?: boolean; origin?: string }): boolean;
  /** The label passed through a sanitizer the rule names. */
  sanitized(l: { safeFor?: readonly string[] }): boolean;
}

const matchers = new WeakMap<Config, readonly TaintMatcher[]>();

export function taintMatchers(config: Config): readonly TaintMatcher[] {
  if (!config.taintRules?.length) return [];
  let hit = matchers.get(config);
  if (hit) return hit;
  hit = config.taintRules.map((def) => {
    const sinks = new Set(def.sinks);
    const sources = new Set(def.sources);
    const sanitizers = (def.sanitizers ?? []).map((s) => `id:${s}`);
    return {
      meta: taintRuleMeta(def),
      sinkMatches: (r) =>
        (r.sinkId !== undefined && sinks.has(r.sinkId)) ||
        (sinks.has('instructions') && !r.extra && (r.category === 'prompt-injection' || r.category === 'rag-as-instructions')) ||
        (r.capability !== undefined && sinks.has(r.capability)),
      sourceMatches: (l) =>
        (l.origin !== undefined && sources.has(l.origin)) || (l.toolArg ? sources.has('tool-argument') : sources.has(l.kind)),
      sanitized: (l) => sanitizers.some((s) => l.safeFor?.includes(s)),
    };
  });
  matchers.set(config, hit);
  return hit;
}
