/** Abstract values: what the engine knows about an expression (taint, API identity, shape, text). */
import type { ts } from 'ts-morph';
import type { ApiRef, SourceKind } from '../engine/models';
import type { ModuleInfo } from '../facts/module';

export interface Step {
  node: ts.Node;
  mod: ModuleInfo;
  message: string;
}

export interface Label {
  kind: SourceKind | 'param';
  what: string;
  node: ts.Node;
  mod: ModuleInfo;
  steps: readonly Step[];
  /** For `param` labels: the function and parameter index the value came from. */
  fn?: ts.Node;
  index?: number;
  /** A model-controlled tool argument (a tool handler's input, a tool call's arguments). */
  toolArg?: boolean;
  /** Capabilities this text was made safe for (HTML escaping, shell quoting, a path basename). */
  safeFor?: readonly string[];
  /** The id of the model row (a pack's source row) that produced this label. */
  origin?: string;
}

export interface FnRef {
  node: ts.SignatureDeclaration;
  mod: ModuleInfo;
}
export interface ClassRef {
  node: ts.ClassLikeDeclaration;
  mod: ModuleInfo;
  ctorArgs?: Value[];
}

export interface TemplatePart {
  role: 'system' | 'human' | 'ai' | 'placeholder' | 'single';
  node: ts.Node;
  mod: ModuleInfo;
  words: number;
  vars: string[];
}
export interface Template {
  parts: TemplatePart[];
  bound: Map<string, Value>;
  /** Piped into a model (`prompt.pipe(model)`, a chain): invoking it calls the model. */
  piped: boolean;
}

export type Schema =
  | { kind: 'safe' }
  | { kind: 'unsafe' }
  | { kind: 'object'; props: Map<string, Schema> }
  | { kind: 'array'; elem: Schema };

export interface Value {
  labels: readonly Label[];
  /** Number of words of fixed (literal) text this string value carries. */
  words: number;
  /** The exact text, when the value is a known constant string. */
  text?: string;
  /** The constant text this string starts with (`https://api.example.com/v1?q=` + …). */
  prefix?: string;
  /** Constant texts this value may take (`process.env.X ?? 'main'` → ['main']), when some alternatives are known. */
  alts?: readonly string[];
  api: readonly ApiRef[];
  props?: Map<string, Value>;
  propNodes?: Map<string, ts.Node>;
  elems?: readonly Value[];
  elemNodes?: readonly (ts.Node | undefined)[];
  fns?: readonly FnRef[];
  cls?: readonly ClassRef[];
  tmpl?: readonly Template[];
  schema?: Schema;
  /** A client or agent whose calls pass through a real guardrail. */
  guarded?: boolean;
  /** This value is a verdict (moderation / guardrail result) on the inputs with these keys. */
  verdictOf?: readonly string[];
  /** Where a report about this value should point, when it must not be the sink expression (templates). */
  anchor?: { node: ts.Node; mod: ModuleInfo };
  /** A runnable that yields this value when invoked (retrievers in LCEL maps, RunnablePassthrough). */
  yields?: Value;
  passthrough?: boolean;
  /** A project module's namespace object (`import * as m`, `require('./m')`). */
  ns?: ModuleInfo;
  /** A project class itself (not an instance). */
  klass?: readonly ClassRef[];
  /** This value is exactly parameter `index` of `fn` (for returning a parameter unchanged). */
  paramRef?: { fn: ts.Node; index: number };
}

export const EMPTY: Value = Object.freeze({ labels: [], words: 0, api: [] }) as Value;

export function isEmpty(v: Value): boolean {
  return (
    v.labels.length === 0 &&
    v.api.length === 0 &&
    !v.props &&
    !v.elems &&
    !v.fns &&
    !v.cls &&
    !v.tmpl &&
    !v.schema &&
    !v.verdictOf &&
    !v.yields &&
    !v.passthrough &&
    !v.ns &&
    !v.klass &&
    v.text === undefined &&
    v.words === 0
  );
}

function uniq<T>(arr: readonly T[], key: (t: T) => unknown): T[] {
  const seen = new Set<unknown>();
  const out: T[] = [];
  for (const a of arr) {
    const k = key(a);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(a);
    }
  }
  return out;
}

export function labelKey(l: Label): string {
  return `${l.kind}|${l.mod.rel}|${l.node.pos}|${l.index ?? ''}|${l.fn ? l.fn.pos : ''}`;
}

export function mergeLabels(...lists: (readonly Label[])[]): Label[] {
  const all = lists.flat();
  if (all.length > 64) return uniq(all, labelKey).slice(0, 64);
  return uniq(all, labelKey);
}

/** The union of alternative values (a variable assigned in several places, a conditional). */
export function union(values: readonly Value[]): Value {
  const vs = values.filter((v) => v !== EMPTY);
  if (vs.length === 0) return EMPTY;
  if (vs.length === 1) return vs[0];
  const out: Value = {
    labels: mergeLabels(...vs.map((v) => v.labels)),
    words: Math.max(...vs.map((v) => v.words)),
    api: uniq(vs.flatMap((v) => v.api), (a) => a.model + ':' + a.tokens.join('.')),
  };
  const texts = vs.map((v) => v.text);
  if (texts.every((t) => t !== undefined && t === texts[0])) out.text = texts[0];
  const alts = [...new Set(vs.flatMap((v) => (v.text !== undefined ? [v.text] : (v.alts ?? []))))];
  if (alts.length && alts.length <= 16 && out.text === undefined) out.alts = alts;
  const withProps = vs.filter((v) => v.props);
  if (withProps.length) {
    const props = new Map<string, Value>();
    const propNodes = new Map<string, ts.Node>();
    for (const v of withProps)
      for (const [k, pv] of v.props!) {
        props.set(k, props.has(k) ? union([props.get(k)!, pv]) : pv);
        const n = v.propNodes?.get(k);
        if (n && !propNodes.has(k)) propNodes.set(k, n);
      }
    out.props = props;
    out.propNodes = propNodes;
  }
  const withElems = vs.filter((v) => v.elems);
  if (withElems.length) {
    out.elems = withElems.flatMap((v) => v.elems!);
    out.elemNodes = withElems.flatMap((v) => v.elemNodes ?? v.elems!.map(() => undefined));
  }
  const fns = vs.flatMap((v) => v.fns ?? []);
  if (fns.length) out.fns = uniq(fns, (f) => f.node);
  const cls = vs.flatMap((v) => v.cls ?? []);
  if (cls.length) out.cls = uniq(cls, (c) => c.node);
  const tmpl = vs.flatMap((v) => v.tmpl ?? []);
  if (tmpl.length) out.tmpl = tmpl;
  const schema = vs.find((v) => v.schema)?.schema;
  if (schema) out.schema = schema;
  if (vs.some((v) => v.guarded)) out.guarded = vs.every((v) => v.guarded || v.api.length === 0);
  const verdicts = vs.flatMap((v) => v.verdictOf ?? []);
  if (verdicts.length) out.verdictOf = [...new Set(verdicts)];
  const anchor = vs.find((v) => v.anchor)?.anchor;
  if (anchor) out.anchor = anchor;
  const yields = vs.filter((v) => v.yields).map((v) => v.yields!);
  if (yields.length) out.yields = union(yields);
  if (vs.some((v) => v.passthrough)) out.passthrough = true;
  const ns = vs.find((v) => v.ns)?.ns;
  if (ns) out.ns = ns;
  const klass = vs.flatMap((v) => v.klass ?? []);
  if (klass.length) out.klass = uniq(klass, (c) => c.node);
  return out;
}

/** Concatenation: taint of both, words added. */
export function concat(values: readonly Value[]): Value {
  const labels = mergeLabels(...values.map((v) => v.labels));
  const words = values.reduce((n, v) => n + v.words, 0);
  const texts = values.map((v) => v.text);
  const out: Value = { labels, words, api: [] };
  if (texts.every((t) => t !== undefined)) out.text = texts.join('');
  else if (values.every((v) => v.text !== undefined || v.alts?.length) && values.filter((v) => v.text === undefined).length === 1) {
    // one part with known alternatives: the whole string's alternatives
    const i = values.findIndex((v) => v.text === undefined);
    const before = values.slice(0, i).map((v) => v.text).join('');
    const after = values.slice(i + 1).map((v) => v.text).join('');
    out.alts = values[i].alts!.map((a) => before + a + after);
    if (before) out.prefix = before;
  } else {
    let prefix = '';
    for (const v of values) {
      if (v.text !== undefined) prefix += v.text;
      else {
        if (v.prefix) prefix += v.prefix;
        break;
      }
    }
    if (prefix) out.prefix = prefix;
  }
  const anchor = values.find((v) => v.anchor)?.anchor;
  if (anchor) out.anchor = anchor;
  return out;
}

export function taintOnly(v: Value): Value {
  if (v.labels.length === 0) return EMPTY;
  return { labels: v.labels, words: 0, api: [] };
}

/** All labels in a value, including those inside object members and array elements. */
export function deepLabels(v: Value, depth = 0): Label[] {
  if (depth > 6) return [...v.labels];
  const lists: (readonly Label[])[] = [v.labels];
  if (v.props) for (const p of v.props.values()) lists.push(deepLabels(p, depth + 1));
  if (v.elems) for (const e of v.elems) lists.push(deepLabels(e, depth + 1));
  if (v.yields) lists.push(deepLabels(v.yields, depth + 1));
  return mergeLabels(...lists);
}

export function deepWords(v: Value, depth = 0): number {
  if (depth > 6) return v.words;
  let n = v.words;
  if (v.props) for (const p of v.props.values()) n += deepWords(p, depth + 1);
  if (v.elems) for (const e of v.elems) n += deepWords(e, depth + 1);
  return n;
}

export function withSteps(labels: readonly Label[], step: Step): Label[] {
  return labels.map((l) => (l.steps.length >= 12 ? l : { ...l, steps: [...l.steps, step] }));
}

export function countWords(text: string): number {
  const stripped = text.replace(/\{[\w.\-]+\}/g, ' ').replace(/<\/?[\w\-]+[^>]*>/g, ' ');
  const m = stripped.match(/[A-Za-z][A-Za-z']+/g);
  return m ? m.length : 0;
}
