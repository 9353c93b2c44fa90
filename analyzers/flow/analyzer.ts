/**
 * The flow engine: evaluates expressions to abstract values (taint labels, API identity, shape,
 * fixed text), follows values through variables, destructuring, members, calls into local and
 * imported functions (summaries), and checks the model calls' instruction channels.
 *
 * Evaluation is flow-insensitive per variable (all assignments are unioned) and made
 * position-sensitive by guards: a use that is dominated by an allowlist check, a throwing assertion
 * or a checked moderation verdict is clean.
 */
import { ts } from 'ts-morph';

import { T } from '../facts/typescript';
import {
  type ApiRef,
  type CompiledModel,
  type ModelRegistry,
  type SinkRow,
  type SourceKind,
  type Channel,
  type CallbackParam,
  type Capability,
  type NamedParamRow,
  type TypedParamRow,
  type CompiledModel as Model,
  pathMatches,
  parsePath,
} from '../engine/models';
import { ModuleInfo, type CallLike, skipParens, memberName, enclosingClass } from '../facts/module';
import { resolveName, enclosingFunction, isFunctionScope, type Decl } from '../facts/scope';
import {
  EMPTY,
  type Label,
  type Value,
  type Step,
  type FnRef,
  type ClassRef,
  type Template,
  type TemplatePart,
  type Schema,
  union,
  concat,
  deepLabels,
  mergeLabels,
  withSteps,
  countWords,
  taintOnly,
} from './value';

export type FindingCategory = 'prompt-injection' | 'rag-as-instructions' | 'overprivileged-tool' | 'output-to-sink' | 'unpinned-model';

export interface RawFinding {
  category: FindingCategory;
  node: ts.Node;
  mod: ModuleInfo;
  labels: Label[];
  sink: string;
  mixing: boolean;
  /** For dangerous sinks: what the sink can do. */
  capability?: Capability;
  /** Extra detail for the message (the mutable reference of a download). */
  detail?: string;
  /** The id of the model row (a pack's sink or dangerous row) the finding was reported at. */
  sinkId?: string;
  /** A flow no built-in rule reports (untrusted or retrieved text into a dangerous sink): only a pack's taint rule can claim it. */
  extra?: boolean;
}

/** What a configuration asks of the analysis beyond the models. */
export interface AnalyzerOptions {
  /** Also record flows of untrusted and retrieved text into dangerous sinks (a pack's taint rules select them). */
  allFlows?: boolean;
  /** The model-download policy: allowed hosts, tag revisions. */
  modelPolicy?: {
    allowedHosts?: readonly string[];
    revision: 'sha' | 'tag';
    tag?: { test(s: string): boolean };
    hostAllowed(host: string): boolean;
  };
}

interface DangerSink {
  index: number;
  capability: Capability;
  node: ts.Node;
  mod: ModuleInfo;
  sink: string;
  sinkId?: string;
}

export interface AnalyzerHost {
  /** Parses (or returns) the module at an absolute path, or undefined when it is not analysable. */
  getModule(absPath: string): ModuleInfo | undefined;
  /** Resolves a relative or aliased import specifier to an absolute source path. */
  resolveImport(specifier: string, fromFile: string): string | undefined;
}

interface StructuralSink {
  fn: ts.Node;
  index: number;
  channel: Channel;
  node: ts.Node;
  mod: ModuleInfo;
  call: CallLike;
  where: string;
  sink: string;
  sinkId?: string;
}

interface ParamSink {
  /** Fixed words already at the sink (single-prompt mixing needs them together with the caller's). */
  words: number;
  index: number;
  node: ts.Node;
  mod: ModuleInfo;
  sink: string;
  mixing: boolean;
  steps: readonly Step[];
  sinkId?: string;
}

interface SinkCtx {
  call: CallLike;
  mod: ModuleInfo;
  sink: string;
  /** The channel being checked, for messages ("the `system` of `client.messages.create()`"). */
  where: string;
  /** Report here whatever the value's own location (a helper's sink checked with its caller's argument). */
  forceAt?: ts.Node;
  hasInstruction: boolean;
  pending: { value: Value; node: ts.Node; where: string }[];
  sinkId?: string;
}

const INSTRUCTION_ROLES = new Set(['system', 'developer']);
const SCALAR_MEMBERS = new Set(['length', 'size', 'byteLength', 'count', 'score', 'distance', 'similarity', 'totalCount']);
/** Numbers and flags of a response object (`res.status`, `res.ok`); on plain JSON data a `status` field can be text. */
const RESPONSE_SCALAR_MEMBERS = new Set(['status', 'statusCode', 'ok']);
const BOOLEAN_METHODS = new Set([
  'includes', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'test', 'some', 'every', 'findIndex', 'findLastIndex', 'has',
  'localeCompare', 'charCodeAt', 'codePointAt', 'isArray', 'hasOwnProperty', 'search', 'forEach', 'push', 'unshift', 'set', 'delete', 'add', 'clear',
]);
const ELEMENT_METHODS = new Set(['find', 'findLast', 'at', 'pop', 'shift', 'get']);
const SAME_METHODS = new Set(['filter', 'slice', 'sort', 'reverse', 'flat', 'toSorted', 'toReversed', 'splice', 'values', 'entries', 'keys', 'concat']);
const PLAIN_DATA_METHODS = new Set([
  'map', 'flatMap', 'filter', 'join', 'reduce', 'reduceRight', 'forEach', 'find', 'findLast', 'slice', 'concat', 'split', 'replace', 'replaceAll',
  'trim', 'trimStart', 'trimEnd', 'toLowerCase', 'toUpperCase', 'toString', 'substring', 'padStart', 'padEnd', 'at', 'flat', 'sort', 'reverse',
  'includes', 'some', 'every', 'indexOf', 'startsWith', 'endsWith', 'then',
]);
const CLEAN_GLOBAL_CALLS = new Set(['Number', 'parseInt', 'parseFloat', 'Boolean', 'isNaN', 'isFinite', 'Date', 'setTimeout', 'setInterval', 'clearTimeout', 'Symbol', 'BigInt']);
const TEMPLATE_BIND = new Set(['format', 'formatMessages', 'invoke', 'formatPromptValue', 'stream', 'batch', 'call', 'run', 'streamEvents', 'streamLog']);
const DOC_BLOCK_TYPES = new Set(['document', 'image', 'image_url', 'input_image', 'input_file', 'file', 'search_result', 'tool_result', 'input_audio']);
const FIXED_PATH_GLOBALS = new Set(['__dirname', '__filename']);

/** The identifier a reference starts from (`req` in `req.body.text`), when it is one. */
function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  let x: ts.Expression = skipParens(e);
  while (T.isPropertyAccessExpression(x) || T.isElementAccessExpression(x)) x = skipParens(x.expression);
  return T.isIdentifier(x) ? x : undefined;
}

/** The declaration an identifier resolves to, when it is a parameter or a let/const binding. */
function lexicalDecl(x: ts.Identifier | undefined): ts.Node | undefined {
  if (!x) return undefined;
  const d = resolveName(x);
  let n: ts.Node | undefined = d?.parent;
  while (n && T.isBindingElement(n)) n = n.parent?.parent;
  if (!n) return undefined;
  if (T.isParameter(n)) return n;
  if (T.isVariableDeclaration(n) && T.isVariableDeclarationList(n.parent) && n.parent.flags & (T.NodeFlags.Let | T.NodeFlags.Const)) return n;
  return undefined;
}

/** Where each word occurs in a module's text (comments and strings included: a superset of its identifiers). */
const WORD_POSITIONS = new WeakMap<ModuleInfo, Map<string, number[]>>();

/** Whether the text of `node` contains the word `name` (a cheap over-approximation of "refers to it"). */
function mentions(mod: ModuleInfo, name: string, node: ts.Node): boolean {
  let index = WORD_POSITIONS.get(mod);
  if (!index) {
    index = new Map();
    const re = /[A-Za-z_$][\w$]*/g;
    const text = mod.sf.text;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const list = index.get(m[0]);
      if (list) list.push(m.index);
      else index.set(m[0], [m.index]);
    }
    WORD_POSITIONS.set(mod, index);
  }
  const at = index.get(name);
  if (!at) return false;
  // the first occurrence at or after node.pos, by binary search
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid] < node.pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < at.length && at[lo] < node.end;
}

/**
 * A memo table: one entry per node, either being computed (at its frame's index), provisional
 * (computed while a cycle was open: usable until that cycle closes, then dropped) or final.
 */
type MemoTable = Map<ts.Node, MemoEntry>;
type MemoEntry = { state: typeof BUSY; index: number; v?: undefined } | { state: typeof PROVISIONAL | typeof FINAL; index: number; v: Value };
const BUSY = 0;
const PROVISIONAL = 1;
const FINAL = 2;

function memoTable(): MemoTable {
  return new Map();
}

/** A key for a node that is stable across analyses (sets of pairs already handled). */
function nodeKey(mod: ModuleInfo, n: ts.Node): string {
  return `${mod.rel}@${n.pos}:${n.end}:${n.kind}`;
}

/** Thrown by the evaluation when the caller's time budget (Analyzer.deadline) has passed. */
export class BudgetExceeded extends Error {
  constructor() {
    super('time budget exceeded');
    this.name = 'BudgetExceeded';
  }
}

export class Analyzer {
  /** Memo tables by node (a node belongs to one module): expression values, declaration values, return values. */
  private readonly values = memoTable();
  private readonly declValues = memoTable();
  private readonly returnValues = memoTable();
  /** Open evaluations: the lowest frame a cycle from inside reached, and the provisional values computed inside (table, node pairs). */
  private readonly frames: { low: number; provisional: (MemoTable | ts.Node)[] }[] = [];
  private work = 0;
  /** Evaluation steps allowed per analysis before the engine stops refining (a guard against blow-ups). */
  workLimit = 5_000_000;
  /** When set (epoch ms), evaluation past it throws BudgetExceeded (the caller's per-file time budget). */
  deadline = 0;
  private readonly paramSinks = new Map<ts.Node, ParamSink[]>();
  private readonly structural: StructuralSink[] = [];
  private readonly dangerSinks = new Map<ts.Node, DangerSink[]>();
  /** Tool names gated by a human-in-the-loop middleware somewhere in the analysed files. */
  private readonly gatedTools = new Map<string, ModuleInfo[]>();
  private readonly localOnlyModules = new Set<ModuleInfo>();
  /** Components rendered as JSX elements: their props come from the element's attributes. */
  private readonly jsxUses = new Map<ts.Node, { el: ts.JsxOpeningElement | ts.JsxSelfClosingElement; mod: ModuleInfo }[]>();
  private readonly callers = new Map<ts.Node, { call: CallLike; mod: ModuleInfo }[]>();
  private readonly callbackRegs: { call: CallLike; mod: ModuleInfo; fn: FnRef; params: (CallbackParam | null)[] }[] = [];
  readonly findings: RawFinding[] = [];
  private readonly findingKeys = new Set<string>();
  private readonly zodRoots: CompiledModel[];

  constructor(
    readonly registry: ModelRegistry,
    private readonly host: AnalyzerHost,
    private readonly options: AnalyzerOptions = {},
  ) {
    this.zodRoots = [...registry.models.values()].filter((m) => m.file.validators);
  }

  // ───────────────────────────── driving ─────────────────────────────

  /** Facts that must be known before any value is computed: tool gates by name, local-only model loading. */
  prepare(mods: readonly ModuleInfo[]): void {
    const gateNames = new Set<string>();
    for (const m of this.registry.models.values()) for (const g of m.toolGates) for (const pth of g.paths) gateNames.add(pth[pth.length - 1]);
    const localNames = new Set<string>();
    for (const m of this.registry.models.values()) for (const l of m.localOnly) localNames.add(l.path[l.path.length - 1]);
    for (const mod of mods) {
      for (const el of mod.jsxElements) {
        const tag = el.tagName;
        if (!T.isIdentifier(tag) || !/^[A-Z]/.test(tag.text)) continue;
        for (const f of this.evaluate(tag, mod).fns ?? []) this.jsxUses.set(f.node, [...(this.jsxUses.get(f.node) ?? []), { el, mod }]);
      }
      for (const call of mod.calls) {
        const callee = skipParens(call.expression);
        const last = T.isIdentifier(callee) ? callee.text : T.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (!gateNames.has(last)) continue;
        const cv = this.evaluate(callee, mod);
        for (const ref of cv.api) {
          const model = this.registry.models.get(ref.model);
          for (const g of model?.toolGates ?? []) {
            if (!g.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
            const field = fieldNode(call.arguments?.[0], g.field);
            if (field && T.isObjectLiteralExpression(field))
              for (const prop of field.properties) {
                if (!prop.name) continue;
                const name = propName(prop.name);
                const init = T.isPropertyAssignment(prop) ? prop.initializer : undefined;
                if (name && !(init && init.kind === T.SyntaxKind.FalseKeyword)) this.gatedTools.set(name, [...(this.gatedTools.get(name) ?? []), mod]);
              }
          }
        }
      }
      for (const a of mod.memberAssignNodes) {
        const left = skipParens(a.left);
        if (!(T.isPropertyAccessExpression(left) && localNames.has(left.name.text))) continue;
        const target = this.evaluate(left, mod);
        for (const ref of target.api) {
          const model = this.registry.models.get(ref.model);
          for (const l of model?.localOnly ?? [])
            if (pathMatches(l.path, ref.tokens) && (a.right.kind === T.SyntaxKind.FalseKeyword) === !l.value) this.localOnlyModules.add(mod);
        }
      }
    }
  }

  analyzeModule(mod: ModuleInfo): void {
    this.modByFile.set(mod.sf, mod);
    for (const call of mod.calls) {
      try {
        this.checkCall(call, mod);
      } catch (e) {
        if (e instanceof RangeError) continue; // pathological nesting: skip this call, keep the file
        throw e;
      }
    }
    // `el.innerHTML = x` and `dangerouslySetInnerHTML={{ __html: x }}`
    if (this.registry.assignSinks.size)
      for (const a of mod.memberAssignNodes) {
        const left = skipParens(a.left);
        const name = T.isPropertyAccessExpression(left) || T.isElementAccessExpression(left) ? memberName(left) : undefined;
        const row = name ? this.registry.assignSinks.get(name) : undefined;
        if (row) this.checkDangerValue(row.capability, a.right, this.evaluate(a.right, mod), a, mod, `\`${name} =\``, row.id);
      }
    for (const attr of mod.jsxAttributes) {
      const name = T.isIdentifier(attr.name) ? attr.name.text : undefined;
      const row = name ? this.registry.jsxSinks.get(name) : undefined;
      if (!row || !attr.initializer || !T.isJsxExpression(attr.initializer) || !attr.initializer.expression) continue;
      const v = this.evaluate(attr.initializer.expression, mod);
      const inner = row.field ? getField(v, row.field) : v;
      if (!inner) continue;
      const innerNode = row.field ? (fieldNode(attr.initializer.expression, row.field, v) ?? attr.initializer.expression) : attr.initializer.expression;
      this.checkDangerValue(row.capability, innerNode as ts.Expression, inner, attr, mod, `\`${name}\``, row.id);
    }
  }

  /** Reports sinks reached through parameters, at call sites and callback registrations (to a fixed point). */
  propagate(): void {
    this.propagateFrom([...this.paramSinks.keys()]);
    this.propagateRest();
  }

  private readonly propagated = new Set<string>();

  private propagateFrom(work: ts.Node[]): void {
    const done = this.propagated;
    while (work.length) {
      const fn = work.pop()!;
      const sinks = this.paramSinks.get(fn) ?? [];
      for (const { call, mod } of this.callers.get(fn) ?? []) {
        for (const ps of sinks) {
          const k = `${nodeKey(mod, call)}|${ps.index}|${nodeKey(ps.mod, ps.node)}`;
          if (done.has(k)) continue;
          done.add(k);
          const args = call.arguments ?? T.factory.createNodeArray();
          const arg = args[ps.index];
          if (!arg) continue;
          const argVal = this.textOf(this.evaluate(arg, mod));
          if (ps.mixing && ps.words + argVal.words < 3) continue;
          const step: Step = { node: arg, mod, message: 'passed as an argument here' };
          const labels = withSteps(argVal.labels, step).map((l) => ({ ...l, steps: [...l.steps, ...ps.steps] }));
          const grown = this.emit(labels, ps.node, ps.mod, ps.sink, ps.mixing, ps.words + argVal.words, ps.sinkId);
          for (const g of grown) if (!work.includes(g)) work.push(g);
        }
      }
    }
  }

  /** Dangerous operations reached through a helper's parameter: reported where a tool or model output reaches the helper. */
  private propagateDanger(): void {
    const work = [...this.dangerSinks.keys()];
    const seen = new Set<string>();
    while (work.length) {
      const fn = work.pop()!;
      for (const ds of [...(this.dangerSinks.get(fn) ?? [])]) {
        for (const { call, mod } of this.callers.get(fn) ?? []) {
          const k = `${nodeKey(mod, call)}|${ds.index}|${nodeKey(ds.mod, ds.node)}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const arg = (call.arguments ?? [])[ds.index];
          if (!arg) continue;
          const av = this.evaluate(arg, mod);
          const labels = deepLabels(av).filter((l) => !l.safeFor?.includes(ds.capability) && !l.safeFor?.includes('all'));
          // a handler dispatched by name (`handlers[call.name](args)`) is the tool itself: report inside it
          const dispatched = isNameDispatch(call) || this.inToolDispatch(ds.node);
          const step: Step = { node: arg, mod, message: 'passed to a helper here' };
          for (const l of labels) {
            const ls = [{ ...l, steps: [...l.steps, step] }];
            if (l.kind === 'param' && l.fn) {
              const list = this.dangerSinks.get(l.fn) ?? [];
              if (!list.some((x) => x.index === l.index && x.node === ds.node)) {
                list.push({ ...ds, index: l.index! });
                this.dangerSinks.set(l.fn, list);
                work.push(l.fn);
              }
            } else if ((l.toolArg || dispatched || this.inToolDispatch(call)) && ds.capability !== 'file-read')
              this.emitDanger('overprivileged-tool', ls, dispatched ? ds.node : call, dispatched ? ds.mod : mod, ds.capability, ds.sink, ds.sinkId);
            else if (l.kind === 'llm-output' && !l.toolArg) this.emitDanger('output-to-sink', ls, call, mod, ds.capability, ds.sink, ds.sinkId);
            else if (this.options.allFlows && (l.kind === 'untrusted' || l.kind === 'retrieved')) this.emitDanger('output-to-sink', ls, call, mod, ds.capability, ds.sink, ds.sinkId, true);
          }
        }
      }
    }
  }

  private propagateRest(): void {
    this.propagateDanger();
    // helpers whose parameter is the whole message list: check each caller's argument structurally
    const seen = new Set<string>();
    for (let i = 0; i < this.structural.length; i++) {
      const st = this.structural[i];
      for (const { call, mod } of this.callers.get(st.fn) ?? []) {
        const k = `${nodeKey(mod, call)}|${st.index}|${nodeKey(st.mod, st.node)}`;
        if (seen.has(k)) continue;
        seen.add(k);
        const arg = (call.arguments ?? [])[st.index];
        if (!arg) continue;
        const v = this.evaluate(arg, mod);
        const ctx: SinkCtx = { call: st.call, mod: st.mod, sink: st.sink, hasInstruction: false, pending: [], where: st.where, forceAt: st.node, sinkId: st.sinkId };
        this.checkChannel(st.channel, v, st.node, st.node, ctx);
        if (!ctx.hasInstruction) for (const p of ctx.pending) if (p.value.words >= 3) this.report(p.value, st.node, { ...ctx, where: p.where }, true);
      }
    }
    if (this.structural.length) {
      // structural checks may have produced new parameter sinks; propagate them once more
      const more = [...this.paramSinks.keys()];
      if (more.length) this.propagateFrom(more);
    }
    for (const reg of this.callbackRegs) {
      const sinks = this.paramSinks.get(reg.fn.node) ?? [];
      for (const ps of sinks) {
        const spec = reg.params[ps.index];
        if (!spec?.kind) continue;
        const label: Label = { kind: spec.kind, what: spec.what ?? describeKind(spec.kind), node: reg.call, mod: reg.mod, steps: ps.steps };
        this.emit([label], ps.node, ps.mod, ps.sink, ps.mixing, 99, ps.sinkId);
      }
    }
  }

  // ───────────────────────────── sinks ─────────────────────────────

  private checkCall(call: CallLike, mod: ModuleInfo): void {
    const callee = skipParens(call.expression);
    const calleeVal = this.evaluate(callee, mod);
    for (const f of calleeVal.fns ?? []) {
      const list = this.callers.get(f.node) ?? [];
      list.push({ call, mod });
      this.callers.set(f.node, list);
    }
    if (T.isNewExpression(call))
      for (const c of calleeVal.klass ?? []) {
        const ctor = c.node.members.find(T.isConstructorDeclaration);
        if (ctor) {
          const list = this.callers.get(ctor) ?? [];
          list.push({ call, mod });
          this.callers.set(ctor, list);
        }
      }
    const receiver = T.isPropertyAccessExpression(callee) || T.isElementAccessExpression(callee) ? this.evaluate(callee.expression, mod) : undefined;
    const guarded = !!(calleeVal.guarded || receiver?.guarded || this.rootGuarded(callee, mod));
    let matched = false;
    for (const ref of calleeVal.api) {
      const model = this.registry.models.get(ref.model);
      if (!model) continue;
      for (const row of model.sinks)
        if (row.paths.some((p) => pathMatches(p, ref.tokens))) {
          matched = true;
          if (!guarded) this.applySink(row, call, mod, calleeText(callee, mod));
        }
      for (const row of model.callbacks)
        if (row.paths.some((p) => pathMatches(p, ref.tokens))) this.registerCallbacks(row, call, mod);
    }
    if (!matched && !calleeVal.fns && !calleeVal.klass) {
      const chain = calleeChain(callee);
      if (chain.length >= 2)
        for (const s of this.registry.suffixSinks)
          if (endsWith(chain, s.suffix) && !guarded) this.applySink(s.row, call, mod, calleeText(callee, mod));
    }
    // Dangerous operations (shell, code, files, requests, raw SQL, HTML) and model downloads.
    this.checkDangerCall(call, callee, calleeVal, mod);
    this.checkDownload(call, calleeVal, mod);
    // Evaluating an API call itself runs construction-time checks (chains that wire retrieval into a template).
    // Calls into project functions are evaluated only when a value needs them (no walk down every import chain).
    if (calleeVal.api.length || calleeVal.tmpl || receiver?.tmpl) this.evaluate(call, mod);
    // LangChain-style prompt templates bound to variables and run.
    if (T.isPropertyAccessExpression(callee) && TEMPLATE_BIND.has(callee.name.text) && receiver?.tmpl) {
      let vars = call.arguments?.[0] ? this.evaluate(call.arguments[0], mod) : EMPTY;
      if (vars.elems && !vars.props) vars = union(vars.elems); // `chain.batch([{ text }, …])`
      for (const t of receiver.tmpl) if (t.piped || callee.name.text === 'format' || callee.name.text === 'formatMessages' || callee.name.text === 'invoke')
        this.checkTemplate(t, vars, call, mod);
    }
  }

  private rootGuarded(callee: ts.Expression, mod: ModuleInfo): boolean {
    let e = callee;
    while (T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e) || T.isCallExpression(e)) e = skipParens(e.expression);
    if (e === callee) return false;
    return !!this.evaluate(e, mod).guarded;
  }

  private registerCallbacks(row: CompiledModel['callbacks'][number], call: CallLike, mod: ModuleInfo): void {
    const args = call.arguments ?? [];
    if (row.event && !(args[0] && row.event.includes(this.evaluate(args[0], mod).text ?? '\0'))) return;
    if (row.exceptEvent && args[0] && row.exceptEvent.includes(this.evaluate(args[0], mod).text ?? '\0')) return;
    args.forEach((a, i) => {
      if (!argMatches(row.arg, i, args.length)) return;
      if (isFunctionScope(skipParens(a))) return; // inline callbacks resolve their own parameters
      for (const fn of this.evaluate(a, mod).fns ?? []) this.callbackRegs.push({ call, mod, fn, params: row.params });
    });
  }

  private applySink(row: SinkRow, call: CallLike, mod: ModuleInfo, sink: string): void {
    const args = call.arguments ?? T.factory.createNodeArray();
    const argNode = args[row.arg ?? 0];
    if (!argNode) return;
    const argVal = this.evaluate(argNode, mod);
    if (row.guardedBy?.some((f) => {
      const g = getField(argVal, f);
      return !!g && ((g.elems?.length ?? 0) > 0 || g.labels.length > 0 || g.api.length > 0 || !!g.fns);
    }))
      return;
    const ctx: SinkCtx = { call, mod, sink, hasInstruction: !!row.separateInstructions, pending: [], where: '', sinkId: row.id };
    const callName = `\`${sink}()\``;
    if (row.as) {
      ctx.where = row.as === 'instruction' ? `the instructions of ${callName}` : row.as === 'tool-description' ? `the tool description of ${callName}` : `the prompt of ${callName}`;
      this.checkChannel(row.as, argVal, argNode, argNode, ctx);
    }
    for (const [field, ch] of Object.entries(row.fields ?? {})) {
      const v = getField(argVal, field);
      if (!v) continue;
      const fnode = fieldNode(argNode, field, argVal) ?? argNode;
      ctx.where = ch === 'messages' ? `a system message of ${callName}` : ch === 'tool-description' ? `the \`${field}\` tool description of ${callName}` : ch === 'instruction' ? `the \`${field}\` of ${callName}` : `the \`${field}\` of ${callName}`;
      this.checkChannel(ch, v, fnode, fnode, ctx);
    }
    if (!ctx.hasInstruction)
      for (const p of ctx.pending) {
        if (p.value.words >= 3 || p.value.anchor) this.report(p.value, p.node, { ...ctx, where: p.where }, true);
        else {
          // a helper's parameter: whether it mixes depends on the text its callers pass
          const params = p.value.labels.filter((l) => l.kind === 'param');
          if (params.length) this.report({ ...p.value, labels: params }, p.node, { ...ctx, where: p.where }, true);
        }
      }
  }

  private checkChannel(ch: Channel, v: Value, node: ts.Node, fallback: ts.Node, ctx: SinkCtx): void {
    switch (ch) {
      case 'data':
        return;
      case 'instruction':
      case 'tool-description': {
        ctx.hasInstruction = true;
        this.report(this.textOf(v), this.pick(this.locate(v, node, ctx.call), fallback, ctx), ctx, false);
        for (const f of v.fns ?? []) {
          for (const ret of returnExpressions(f.node)) {
            const rv = this.textOf(this.evaluate(ret, f.mod));
            const at = f.mod === ctx.mod && within(ret, ctx.call) ? ret : fallback;
            this.report(rv, at, ctx, false);
          }
        }
        return;
      }
      case 'prompt':
        if (v.elems && !v.text) return this.checkChannel('messages', v, node, fallback, ctx);
        ctx.pending.push({ value: this.textOf(v), node: this.pick(node, fallback, ctx), where: ctx.where });
        return;
      case 'message':
        // a single role message object (`threads.messages.create(id, { role, content })`)
        return this.checkChannel('messages', { labels: [], words: 0, api: [], elems: [v], elemNodes: [node] }, node, fallback, ctx);
      case 'auto':
        if (!v.elems && v.paramRef && !ctx.forceAt) {
          // a helper's parameter: a list or a string, depending on each caller
          this.structural.push({ fn: v.paramRef.fn, index: v.paramRef.index, channel: 'auto', node: fallback, mod: ctx.mod, call: ctx.call, where: ctx.where, sink: ctx.sink, sinkId: ctx.sinkId });
          return;
        }
        if (v.elems) return this.checkChannel('messages', v, node, fallback, ctx);
        if (v.tmpl) return;
        return this.checkChannel('prompt', v, node, fallback, ctx);
      case 'messages': {
        if (!v.elems && v.paramRef) {
          // a helper's parameter holds the whole list: check it against each caller's argument
          this.structural.push({ fn: v.paramRef.fn, index: v.paramRef.index, channel: 'messages', node: ctx.forceAt ?? fallback, mod: ctx.mod, call: ctx.call, where: ctx.where, sink: ctx.sink, sinkId: ctx.sinkId });
          return;
        }
        const elems = v.elems ?? [];
        elems.forEach((el, i) => {
          const elNode = v.elemNodes?.[i];
          let role: string | undefined;
          let content: Value | undefined;
          let contentNode: ts.Node | undefined;
          if (el.props) {
            role = el.props.get('role')?.text ?? (el.props.has('role') ? undefined : undefined);
            content = el.props.get('content') ?? el.props.get('parts');
            contentNode = el.propNodes?.get('content') ?? el.propNodes?.get('parts');
          } else if (el.elems && el.elems.length >= 2 && el.elems[0].text) {
            role = el.elems[0].text;
            content = el.elems[1];
            contentNode = el.elemNodes?.[1];
          } else if (el.api.some((a) => /SystemMessage$/.test(a.tokens[0] ?? ''))) {
            ctx.hasInstruction = true;
            return;
          }
          if (!content) return;
          const at = this.pick(this.locate(content, contentNode ?? elNode ?? node, ctx.call), fallback, ctx);
          if (role && INSTRUCTION_ROLES.has(role)) {
            ctx.hasInstruction = true;
            this.report(this.textOf(content), at, ctx, false);
          } else if (role === 'user' || role === 'human') {
            ctx.pending.push({ value: this.textOf(content), node: at, where: ctx.where.replace('a system message', 'a user message') });
          }
        });
        return;
      }
    }
  }

  /** The innermost written node that carries the taint (a text block inside a `system` array, `content` of a message object). */
  private locate(v: Value, node: ts.Node, call: ts.Node, depth = 0): ts.Node {
    if (depth > 6) return node;
    const kids: { v: Value; n: ts.Node | undefined }[] = [];
    if (v.props) for (const [k, pv] of v.props) if (k === 'text' || k === 'content' || k === 'parts') kids.push({ v: pv, n: v.propNodes?.get(k) });
    if (v.elems) v.elems.forEach((ev, i) => kids.push({ v: ev, n: v.elemNodes?.[i] }));
    const tainted = kids.filter((k) => deepLabels(this.textOf(k.v)).length > 0);
    const inline = (n: ts.Node) => within(n, node) || within(n, call);
    if (v.labels.length === 0 && tainted.length === 1 && tainted[0].n && inline(tainted[0].n)) return this.locate(tainted[0].v, tainted[0].n, call, depth + 1);
    return node;
  }

  /** Chooses where to report: the expression itself when it is written in the model call's function. */
  private pick(node: ts.Node, fallback: ts.Node, ctx: SinkCtx): ts.Node {
    if (ctx.forceAt) return ctx.forceAt;
    if (node.getSourceFile() !== ctx.mod.sf) return fallback;
    if (within(node, ctx.call)) return node;
    if (enclosingFunction(node) === enclosingFunction(ctx.call)) return node;
    return fallback;
  }

  private report(v: Value, node: ts.Node, ctx: SinkCtx, mixing: boolean): void {
    if (v.labels.length === 0) return;
    const at = ctx.forceAt ? { node: ctx.forceAt, mod: ctx.mod } : (v.anchor ?? { node, mod: ctx.mod });
    this.emit(v.labels, at.node, at.mod, v.anchor ? 'a prompt template' : ctx.where || `\`${ctx.sink}()\``, mixing, v.words, ctx.sinkId);
  }

  /** Records findings for concrete labels and parameter sinks for parameter labels. Returns functions whose summaries grew. */
  private emit(labels: readonly Label[], node: ts.Node, mod: ModuleInfo, sink: string, mixing: boolean, words: number, sinkId?: string): ts.Node[] {
    const grown: ts.Node[] = [];
    const byCat = new Map<FindingCategory, Label[]>();
    for (const l of labels) {
      // text an in-house validator made safe for instruction channels (a pack's sanitizer row)
      if (l.safeFor && (l.safeFor.includes('instructions') || l.safeFor.includes('all'))) continue;
      if (l.kind === 'param') {
        const fn = l.fn!;
        const list = this.paramSinks.get(fn) ?? [];
        if (!list.some((p) => p.index === l.index && p.node === node)) {
          list.push({ index: l.index!, node, mod, sink, mixing, words, steps: [{ node: l.node, mod: l.mod, message: 'parameter' }, ...l.steps], sinkId });
          this.paramSinks.set(fn, list);
          grown.push(fn);
        }
        continue;
      }
      const cat: FindingCategory = l.kind === 'untrusted' || l.toolArg ? 'prompt-injection' : 'rag-as-instructions';
      byCat.set(cat, [...(byCat.get(cat) ?? []), l]);
    }
    for (const [cat, ls] of byCat) {
      const key = `${cat}|${nodeKey(mod, node)}`;
      if (this.findingKeys.has(key)) {
        const existing = this.findings.find((f) => f.category === cat && f.node === node && f.mod === mod);
        if (existing) existing.labels = mergeLabels(existing.labels, ls);
        continue;
      }
      this.findingKeys.add(key);
      this.findings.push({ category: cat, node, mod, labels: ls, sink, mixing, sinkId });
    }
    return grown;
  }

  // ───────────────────────────── dangerous operations ─────────────────────────────

  private checkDangerCall(call: CallLike, callee: ts.Expression, calleeVal: Value, mod: ModuleInfo): void {
    const rows: Model['dangerous'][number][] = [];
    const isNew = T.isNewExpression(call);
    for (const ref of calleeVal.api) {
      const model = this.registry.models.get(ref.model);
      for (const row of model?.dangerous ?? []) if ((isNew ? row.newPaths : row.paths).some((pp) => pathMatches(pp, ref.tokens))) rows.push(row);
    }
    if (!rows.length && !calleeVal.fns && this.registry.suffixDangerous.length) {
      const chain = calleeChain(callee);
      for (const s of this.registry.suffixDangerous) if (chain.length >= 2 && endsWith(chain, s.suffix)) rows.push(s.row);
    }
    if (!rows.length) return;
    const args = call.arguments ?? T.factory.createNodeArray();
    for (const row of rows) {
      if (row.whenOption) {
        const opts = args.map((a) => this.evaluate(a, mod)).find((v) => v.props?.has(row.whenOption!));
        if (!opts) continue;
      }
      for (const i of row.args ?? [0]) {
        const a = args[i];
        if (!a) continue;
        let node: ts.Expression = a;
        let v = this.evaluate(a, mod);
        if (!row.field && v.props && !v.labels.length) {
          // an options object (`pool.query({ text, values })`): bound values and settings are not the command
          const props = new Map([...v.props].filter(([k]) => !/^(values|params|parameters|bind|replacements|args|options|signal|timeout|headers|encoding|env|cwd)$/.test(k)));
          v = { ...v, props };
        }
        if (row.field) {
          const f = getField(v, row.field);
          if (!f) continue;
          v = f;
          node = (fieldNode(a, row.field, v) as ts.Expression) ?? a;
        }
        // name the argument that carries the input: `exec(command)`, `pool.query(sql)`
        const argText = node.getText(mod.sf).replace(/\s+/g, ' ');
        const shown = argText.length > 40 ? argText.slice(0, 39) + '…' : argText;
        const argSink = `\`${calleeText(callee, mod)}(${i > 0 ? '…, ' : ''}${shown}${i < args.length - 1 ? ', …' : ''})\``;
        this.checkDangerValue(row.capability, node, v, call, mod, argSink, row.id);
      }
    }
  }

  /** A dangerous operation receives `v` (written at `argNode`); `at` is where to report. */
  private checkDangerValue(capability: Capability, argNode: ts.Expression, v: Value, at: ts.Node, mod: ModuleInfo, sink: string, sinkId?: string): void {
    let labels = deepLabels(v).filter((l) => !l.safeFor?.includes(capability) && !l.safeFor?.includes('all'));
    if (!labels.length) return;
    if (capability === 'network' && isFixedOrigin(v.prefix ?? v.text)) return; // a fixed host with encoded parameters
    if (capability === 'shell' && this.isIsolatedRun(at, mod)) return; // inside a network-less container or sandbox
    if (this.isGuarded(argNode, mod, capability)) return;
    if (this.options.allFlows) {
      const other = labels.filter((l) => (l.kind === 'untrusted' || l.kind === 'retrieved') && !l.toolArg);
      if (other.length) this.emitDanger('output-to-sink', other, at, mod, capability, sink, sinkId, true);
    }
    labels = labels.filter((l) => l.kind === 'param' || l.kind === 'llm-output' || l.toolArg);
    // model output handled in a branch chosen by the tool name the model asked for is a tool's handler
    const dispatch = this.inToolDispatch(at);
    const tool = labels.filter((l) => l.toolArg || (dispatch && l.kind === 'llm-output'));
    const output = labels.filter((l) => !l.toolArg && !dispatch && l.kind === 'llm-output');
    if (capability === 'file-read') tool.length = 0; // tools: writes and deletes; reads are not over-privilege by themselves
    const params = labels.filter((l) => l.kind === 'param' && l.fn);
    if (tool.length) this.emitDanger('overprivileged-tool', tool, at, mod, capability, sink, sinkId);
    if (output.length) this.emitDanger('output-to-sink', output, at, mod, capability, sink, sinkId);
    for (const l of params) {
      const list = this.dangerSinks.get(l.fn!) ?? [];
      if (!list.some((x) => x.index === l.index && x.node === at)) list.push({ index: l.index!, capability, node: at, mod, sink, sinkId });
      this.dangerSinks.set(l.fn!, list);
    }
  }

  /** `execFile('docker', ['run', '--network=none', …, code])` and friends: a locked-down container or sandbox runs it. */
  private isIsolatedRun(at: ts.Node, mod: ModuleInfo): boolean {
    if (!T.isCallExpression(at) && !T.isNewExpression(at)) return false;
    const args = at.arguments ?? T.factory.createNodeArray();
    const bin = args[0] ? this.evaluate(args[0], mod).text : undefined;
    if (!bin || !/^(docker|podman|nerdctl|firejail|bwrap|nsjail|runsc|srt)$/.test(bin.split('/').pop()!)) return false;
    const list = args[1] ? this.evaluate(args[1], mod) : EMPTY;
    const texts = (list.elems ?? []).map((e) => e.text).filter((x): x is string => x !== undefined);
    return texts.some((x, i) => /^--(network|net)=none$|^--unshare-(net|all)$|^--net=none$/.test(x) || ((x === '--network' || x === '--net') && texts[i + 1] === 'none'));
  }

  /** Inside `switch (call.name) { case 'run_shell': … }` or `if (call.function.name === 'x') { … }`. */
  private inToolDispatch(n: ts.Node): boolean {
    const isNameRead = (e: ts.Expression): boolean => {
      const x = skipParens(e);
      if (T.isPropertyAccessExpression(x)) return /^(name|toolName|tool_name)$/.test(x.name.text);
      // `switch (name)` in a dispatcher such as `callFunction(name, args)`
      return T.isIdentifier(x) && /^(name|toolName|tool_name|fnName|functionName|toolCallName)$/.test(x.text);
    };
    let child: ts.Node = n;
    for (let p = n.parent; p && !isFunctionScope(p); child = p, p = p.parent) {
      if (T.isCaseClause(p) && isNameRead(p.parent.parent.expression)) return true;
      if (T.isIfStatement(p) && child === p.thenStatement) {
        const c = skipParens(p.expression);
        if (T.isBinaryExpression(c) && (c.operatorToken.kind === T.SyntaxKind.EqualsEqualsEqualsToken || c.operatorToken.kind === T.SyntaxKind.EqualsEqualsToken) && (isNameRead(c.left) || isNameRead(c.right))) return true;
      }
    }
    return false;
  }

  private emitDanger(category: FindingCategory, labels: Label[], node: ts.Node, mod: ModuleInfo, capability: Capability, sink: string, sinkId?: string, extra = false): void {
    const key = `${extra ? 'extra' : category}|${nodeKey(mod, node)}`;
    const existing = this.findingKeys.has(key) ? this.findings.find((f) => f.category === category && !!f.extra === extra && f.node === node && f.mod === mod) : undefined;
    if (existing) {
      existing.labels = mergeLabels(existing.labels, labels);
      return;
    }
    this.findingKeys.add(key);
    this.findings.push({ category, node, mod, labels, sink, mixing: false, capability, sinkId, ...(extra ? { extra } : {}) });
  }

  // ───────────────────────────── model downloads ─────────────────────────────

  private checkDownload(call: CallLike, calleeVal: Value, mod: ModuleInfo): void {
    for (const ref of calleeVal.api) {
      const model = this.registry.models.get(ref.model);
      for (const row of model?.downloads ?? []) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        const verdict = this.downloadVerdict(row, call, mod);
        if (verdict) {
          const key = `unpinned-model|${nodeKey(mod, call)}`;
          if (this.findingKeys.has(key)) continue;
          this.findingKeys.add(key);
          this.findings.push({ category: 'unpinned-model', node: call, mod, labels: [], sink: verdict.model, mixing: false, detail: verdict.detail });
        }
      }
    }
  }

  /** Undefined when the download is pinned, local or not a download; otherwise what is mutable about it. */
  private downloadVerdict(row: Model['downloads'][number], call: CallLike, mod: ModuleInfo): { model: string; detail: string } | undefined {
    const args = call.arguments ?? T.factory.createNodeArray();
    const at = (spec: string | undefined): { node?: ts.Expression; value?: Value } => {
      if (!spec) return {};
      const m = /^arg(\d+)(?:\.(.+))?$/.exec(spec);
      if (!m) return {};
      const a = args[Number(m[1])];
      if (!a) return {};
      if (!m[2]) return { node: a, value: this.evaluate(a, mod) };
      const base = this.evaluate(a, mod);
      const v = getField(base, m[2]);
      return { node: (fieldNode(a, m[2], base) as ts.Expression) ?? undefined, value: v };
    };
    const modelArg = at(row.model);
    const modelText = modelArg.value?.text;
    const show = (s: string | undefined) => (s ? `\`${s}\`` : modelArg.node ? `\`${modelArg.node.getText(mod.sf).replace(/\s+/g, ' ').slice(0, 60)}\`` : 'the default model');
    const policy = this.options.modelPolicy;
    if (policy?.allowedHosts) {
      // a pack's host allowlist: a download from another host is a finding, pinned or not
      const from = this.downloadHost(row, modelArg, modelText, at, mod);
      if (from && !policy.hostAllowed(from.host))
        return { model: show(from.name), detail: `it is downloaded from ${from.host}, which the model policy does not allow (allowed hosts: ${policy.allowedHosts.join(', ')}). Download it from an allowed host` };
    }
    // a pinned reference: a full commit sha, or (policy `revision: tag`) an explicit tag that is not a branch
    const pinned = (ref: string) => isCommitSha(ref) || (policy?.revision === 'tag' && isTagLike(ref) && (!policy.tag || policy.tag.test(ref)));
    const wanted = policy?.revision === 'tag' ? `a 40-character commit or a release tag${policy.tag ? ' matching the policy\'s tag pattern' : ''}` : 'a 40-character commit';
    if (this.verifiedByDigest(call)) return undefined;
    switch (row.kind) {
      case 'hf': {
        if (this.localOnlyModules.has(mod)) return undefined;
        if (this.isLocalOnly(row, at)) return undefined;
        if (!modelArg.node) return row.defaultModelWhenMissing ? { model: 'the task\'s default model', detail: 'no model id, so the task default is downloaded from its main branch. Name the model and pin a 40-character commit `revision`' } : undefined;
        if (modelText !== undefined && isLocalPath(modelText)) return undefined;
        if (modelText === undefined && modelArg.value && modelArg.value.prefix && isLocalPath(modelArg.value.prefix)) return undefined;
        const rev = at(row.revision);
        if (!rev.node) return { model: show(modelText), detail: 'no `revision`, so the `main` branch is fetched. Pin a 40-character commit `revision`, or verify a sha256 digest before use' };
        const rt = rev.value?.text;
        // a revision from configuration is trusted, unless one of its known values is a branch or tag (`?? 'main'`)
        const bad = rt !== undefined ? (pinned(rt) ? undefined : rt) : (rev.value?.alts ?? []).find((a) => !pinned(a));
        if (bad === undefined) return undefined;
        if (policy?.revision === 'tag') return { model: show(modelText ?? modelArg.value?.alts?.[0]), detail: `\`revision: '${bad}'\` is a branch, short sha or tag the policy does not accept, not ${wanted}` };
        return { model: show(modelText ?? modelArg.value?.alts?.[0]), detail: `\`revision: '${bad}'\` is a branch, tag or short sha, not a 40-character commit. Pin the full commit sha` };
      }
      case 'ollama': {
        const names = modelText !== undefined ? [modelText] : (modelArg.value?.alts ?? []); // chosen elsewhere: trusted
        for (const name of names) {
          const tag = name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : '';
          if (tag && tag !== 'latest') continue;
          return { model: show(name), detail: tag ? 'the `:latest` tag moves. Pull an explicit tag (for example `llama3.1:8b-instruct-q4_K_M`)' : 'no tag, so `:latest` is pulled. Pull an explicit tag (for example `llama3.1:8b-instruct-q4_K_M`)' };
        }
        return undefined;
      }
      case 'hf-uri': {
        if (this.isLocalOnly(row, at)) return undefined;
        const t = modelText ?? modelArg.value?.prefix;
        if (!t || !/^(hf:|huggingface:|https:\/\/huggingface\.co\/)/.test(t)) return undefined;
        if (modelText === undefined) return undefined;
        if (/#[0-9a-f]{40}\b|[?&]revision=[0-9a-f]{40}\b|\/resolve\/[0-9a-f]{40}\//.test(modelText)) return undefined;
        const ref = /#([^#?&/]+)$/.exec(modelText)?.[1];
        if (ref && pinned(ref)) return undefined;
        return { model: show(modelText), detail: 'the `hf:` URI names no commit, so the latest file on the default branch is fetched. Pin it with `#<40-character commit>` or verify a sha256 digest before use' };
      }
      case 'url': {
        const t = modelText ?? (modelArg.value?.alts ?? []).find((a) => /\/resolve\//.test(a)) ?? modelArg.value?.prefix;
        if (!t) return undefined;
        const m = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:.+?)\/resolve\/([^/]+)\//.exec(t);
        if (!m) return undefined;
        if (pinned(decodeURIComponent(m[1]))) return undefined;
        return { model: show(t.length > 80 ? t.slice(0, 77) + '…' : t), detail: `the URL resolves \`${m[1]}\`, which can change. Use \`/resolve/<${wanted}>/\`, or verify a sha256 digest before use` };
      }
    }
  }

  /** The host a model download comes from, when it is a download and the host is known (for a policy's host allowlist). */
  private downloadHost(
    row: Model['downloads'][number],
    modelArg: { node?: ts.Expression; value?: Value },
    modelText: string | undefined,
    at: (spec: string) => { node?: ts.Expression; value?: Value },
    mod: ModuleInfo,
  ): { host: string; name?: string } | undefined {
    const urlHost = (u: string) => /^https?:\/\/([^/?#@]+)/i.exec(u)?.[1]?.toLowerCase();
    switch (row.kind) {
      case 'hf': {
        if (this.localOnlyModules.has(mod) || this.isLocalOnly(row, at)) return undefined;
        if (!modelArg.node) return row.defaultModelWhenMissing ? { host: 'huggingface.co' } : undefined;
        const t = modelText ?? modelArg.value?.prefix;
        if (t !== undefined && isLocalPath(t)) return undefined;
        return { host: 'huggingface.co', name: modelText };
      }
      case 'hf-uri': {
        if (this.isLocalOnly(row, at) || modelText === undefined) return undefined;
        if (/^(hf:|huggingface:)/.test(modelText)) return { host: 'huggingface.co', name: modelText };
        const h = urlHost(modelText);
        return h ? { host: h, name: modelText } : undefined;
      }
      case 'ollama': {
        if (modelText === undefined) return undefined;
        const first = modelText.includes('/') ? modelText.slice(0, modelText.indexOf('/')) : '';
        return { host: first && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'registry.ollama.ai', name: modelText };
      }
      case 'url': {
        const t = modelText ?? modelArg.value?.prefix;
        if (!t) return undefined;
        const artifact = /\/resolve\/[^/]+\//.test(t) || /\.(gguf|ggml|safetensors|onnx|bin|pt|pth|ckpt|h5|tflite|mlmodel)([?#]|$)/i.test(t);
        const h = artifact ? urlHost(t) : undefined;
        return h ? { host: h, name: t.length > 80 ? t.slice(0, 77) + '…' : t } : undefined;
      }
    }
  }

  /** `local_files_only: true`, `download: false` … (a `=false` suffix in the row means the flag must be false). */
  private isLocalOnly(row: Model['downloads'][number], at: (spec: string) => { node?: ts.Expression }): boolean {
    for (const l of row.local ?? []) {
      const [spec, want] = l.split('=');
      const lv = at(spec);
      if (!lv.node) continue;
      if (want === 'false' ? lv.node.kind === T.SyntaxKind.FalseKeyword : lv.node.kind === T.SyntaxKind.TrueKeyword) return true;
    }
    return false;
  }

  /**
   * A digest check that rejects the file before it is used: after the download and before the first write,
   * rename or load, an `if (digest !== expected) throw` (or a call to a helper that does exactly that).
   */
  private verifiedByDigest(call: CallLike): boolean {
    const fn = enclosingFunction(call);
    const body = T.isSourceFile(fn) ? fn : (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return false;
    const HASHING = /createHash\s*\(\s*['"]sha-?(256|384|512)['"]|\.digest\s*\(|subtle\.digest|sha256|sha-256|hashFile|createHash/i;
    const USE = /^(writeFile|writeFileSync|rename|renameSync|copyFile|copyFileSync|createWriteStream|pipeline|loadModel|from_pretrained|create|load|move|moveSync)$/;
    const hashedIdent = (e: ts.Node): boolean => {
      let found = false;
      const visit = (n: ts.Node): void => {
        if (found) return;
        if (T.isIdentifier(n)) {
          const d = resolveName(n);
          const init = d && T.isVariableDeclaration(d.parent) ? d.parent.initializer : undefined;
          if (init && HASHING.test(init.getText())) found = true;
        }
        if (T.isCallExpression(n) && HASHING.test(n.getText())) found = true;
        T.forEachChild(n, visit);
      };
      visit(e);
      return found;
    };
    const asserts = (c: ts.CallExpression): boolean => {
      const callee = skipParens(c.expression);
      const name = T.isIdentifier(callee) ? callee.text : T.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (!/sha|digest|hash|integrity|verify|checksum/i.test(name)) return false;
      // the helper's own body (same file or imported) must reject on mismatch; an unknown one named like a check counts
      const mod = this.moduleOf(c);
      const fv = mod ? this.evaluate(callee, mod) : EMPTY;
      if (!fv.fns) return true;
      return fv.fns.some((f) => {
        const b = (f.node as ts.FunctionLikeDeclaration).body;
        return !!b && HASHING.test(b.getText()) && /\bthrow\b/.test(b.getText());
      });
    };
    let verifyAt = Infinity;
    let useAt = Infinity;
    const after = call.end;
    const visit = (n: ts.Node): void => {
      if (isFunctionScope(n) && n !== fn) return;
      if (n.pos >= after) {
        if (T.isIfStatement(n) && exits(n.thenStatement) && hashedIdent(n.expression)) verifyAt = Math.min(verifyAt, n.pos);
        if (T.isCallExpression(n)) {
          const callee = skipParens(n.expression);
          const name = T.isIdentifier(callee) ? callee.text : T.isPropertyAccessExpression(callee) ? callee.name.text : '';
          if (T.isExpressionStatement(n.parent) || (T.isAwaitExpression(n.parent) && T.isExpressionStatement(n.parent.parent))) {
            if (asserts(n)) verifyAt = Math.min(verifyAt, n.pos);
          }
          if (USE.test(name)) useAt = Math.min(useAt, n.pos);
        }
      }
      T.forEachChild(n, visit);
    };
    T.forEachChild(body, visit);
    return verifyAt < useAt;
  }

  private readonly modByFile = new Map<ts.SourceFile, ModuleInfo>();
  private moduleOf(n: ts.Node): ModuleInfo | undefined {
    return this.modByFile.get(n.getSourceFile());
  }

  // ───────────────────────────── templates ─────────────────────────────

  private checkTemplate(t: Template, vars: Value, _call: CallLike, _mod: ModuleInfo): void {
    const bound = new Map(t.bound);
    if (vars.props) for (const [k, v] of vars.props) bound.set(k, v);
    const hasSystem = t.parts.some((p) => p.role === 'system');
    for (const part of t.parts) {
      for (const name of part.vars) {
        let v = bound.get(name);
        if (!v && vars.labels.length && !vars.props) v = vars; // `chain.invoke(question)` with a single input
        if (!v) continue;
        const text = this.textOf(v);
        if (text.labels.length === 0) continue;
        if (part.role === 'system') this.emit(text.labels, part.node, part.mod, 'a system message template', false, 0);
        else if (!hasSystem && (part.role === 'human' || part.role === 'single') && part.words >= 3)
          this.emit(text.labels, part.node, part.mod, 'a prompt template with fixed instructions', true, 0);
      }
    }
  }

  private makeTemplate(form: 'messages' | 'single' | 'system' | 'human', arg: ts.Expression | undefined, mod: ModuleInfo): Template | undefined {
    if (!arg) return undefined;
    const parts: TemplatePart[] = [];
    const addPart = (role: TemplatePart['role'], node: ts.Expression): void => {
      const v = this.evaluate(node, mod);
      const text = v.text ?? '';
      const vars = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      parts.push({ role, node, mod, words: countWords(text), vars });
    };
    if (form === 'messages') {
      const a = skipParens(arg);
      const arr = T.isArrayLiteralExpression(a) ? a : undefined;
      const val = this.evaluate(arg, mod);
      if (arr) {
        for (const el of arr.elements) {
          const e = skipParens(el);
          if (T.isArrayLiteralExpression(e) && e.elements.length >= 2) {
            const role = this.evaluate(e.elements[0], mod).text;
            addPart(normRole(role), e.elements[1]);
          } else {
            const ev = this.evaluate(e, mod);
            for (const t of ev.tmpl ?? []) parts.push(...t.parts);
          }
        }
      } else {
        for (const t of val.tmpl ?? []) parts.push(...t.parts);
      }
    } else addPart(form === 'system' ? 'system' : form === 'human' ? 'human' : 'single', arg);
    return { parts, bound: new Map(), piped: false };
  }

  // ───────────────────────────── evaluation ─────────────────────────────

  evaluate(e: ts.Node, mod: ModuleInfo): Value {
    const t = this.values;
    const hit = t.get(e);
    if (hit && hit.state !== BUSY) return hit.v;
    return this.memoized(t, e, () => this.evalInner(e, mod));
  }

  /**
   * Memoised evaluation with cycle handling: a value that is being computed evaluates to EMPTY for
   * the inner reference, and every result computed while such a cycle was open is not memoised
   * (it is incomplete), so a later evaluation from another entry point sees the full value.
   */
  private memoized(table: MemoTable, node: ts.Node, compute: () => Value): Value {
    const hit = table.get(node);
    if (hit) {
      if (hit.state !== BUSY) return hit.v;
      // a cycle back to the frame at `hit.index`: everything above it is computed from a partial value
      const top = this.frames[this.frames.length - 1];
      if (top) top.low = Math.min(top.low, hit.index);
      return EMPTY;
    }
    if (this.frames.length > 2000 || ++this.work > this.workLimit) return EMPTY; // pathological nesting or a runaway file
    if (this.deadline && (this.work & 255) === 0 && Date.now() > this.deadline) throw new BudgetExceeded();
    const index = this.frames.length;
    const frame = { low: Infinity, provisional: [] as (MemoTable | ts.Node)[] };
    const entry: MemoEntry = { state: BUSY, index };
    table.set(node, entry);
    this.frames.push(frame);
    let v: Value;
    try {
      v = compute();
    } catch (e) {
      table.delete(node);
      throw e;
    } finally {
      this.frames.pop();
    }
    const parent = this.frames[index - 1];
    if (frame.low >= index) {
      table.set(node, { state: FINAL, index, v });
      // a cycle closed at this frame: values computed inside it may now be recomputed in full
      const p = frame.provisional;
      for (let i = 0; i < p.length; i += 2) (p[i] as MemoTable).delete(p[i + 1] as ts.Node);
    } else {
      // reuse this partial value while the cycle is open; it is dropped when the cycle closes
      table.set(node, { state: PROVISIONAL, index, v });
      if (parent) {
        parent.low = Math.min(parent.low, frame.low);
        parent.provisional.push(table, node, ...frame.provisional);
      }
    }
    return v;
  }

  private evalInner(e: ts.Node, mod: ModuleInfo): Value {
    if (T.isStringLiteralLike(e)) return { labels: [], words: countWords(e.text), text: e.text, api: [] };
    if (T.isParenthesizedExpression(e) || T.isAsExpression(e) || T.isNonNullExpression(e) || T.isSatisfiesExpression(e) || T.isTypeAssertionExpression(e) || T.isAwaitExpression(e))
      return this.evaluate(e.expression, mod);
    if (T.isTemplateExpression(e)) {
      const parts: Value[] = [{ labels: [], words: countWords(e.head.text), text: e.head.text, api: [] }];
      for (const span of e.templateSpans) {
        parts.push(this.stringify(this.evaluate(span.expression, mod)));
        parts.push({ labels: [], words: countWords(span.literal.text), text: span.literal.text, api: [] });
      }
      return concat(parts);
    }
    if (T.isTaggedTemplateExpression(e)) return this.evaluate(e.template, mod);
    if (T.isIdentifier(e)) return this.identValue(e, mod);
    if (e.kind === T.SyntaxKind.ThisKeyword) {
      const cls = enclosingClass(e);
      return cls ? { labels: [], words: 0, api: [], cls: [{ node: cls, mod }] } : EMPTY;
    }
    if (T.isPropertyAccessExpression(e) || T.isElementAccessExpression(e)) return this.memberValue(e, mod);
    if (T.isCallExpression(e)) return this.callValue(e, mod);
    if (T.isNewExpression(e)) return this.newValue(e, mod);
    if (T.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (op === T.SyntaxKind.PlusToken) return concat([this.evaluate(e.left, mod), this.evaluate(e.right, mod)]);
      if (op === T.SyntaxKind.BarBarToken || op === T.SyntaxKind.QuestionQuestionToken || op === T.SyntaxKind.AmpersandAmpersandToken)
        return union([this.evaluate(e.left, mod), this.evaluate(e.right, mod)]);
      if (op === T.SyntaxKind.CommaToken) return this.evaluate(e.right, mod);
      if (op >= T.SyntaxKind.FirstAssignment && op <= T.SyntaxKind.LastAssignment) {
        if (op === T.SyntaxKind.PlusEqualsToken) return concat([this.evaluate(e.left, mod), this.evaluate(e.right, mod)]);
        return this.evaluate(e.right, mod);
      }
      return EMPTY;
    }
    if (T.isConditionalExpression(e)) return union([this.evaluate(e.whenTrue, mod), this.evaluate(e.whenFalse, mod)]);
    if (T.isObjectLiteralExpression(e)) return this.objectValue(e, mod);
    if (T.isArrayLiteralExpression(e)) {
      const elems: Value[] = [];
      const nodes: (ts.Node | undefined)[] = [];
      let labels: Label[] = [];
      for (const el of e.elements) {
        if (T.isSpreadElement(el)) {
          const sv = this.evaluate(el.expression, mod);
          if (sv.elems) {
            elems.push(...sv.elems);
            nodes.push(...(sv.elemNodes ?? sv.elems.map(() => undefined)));
          }
          if (sv.labels.length) labels = mergeLabels(labels, sv.labels);
        } else {
          elems.push(this.evaluate(el, mod));
          nodes.push(el);
        }
      }
      return { labels, words: 0, api: [], elems, elemNodes: nodes };
    }
    if (T.isArrowFunction(e) || T.isFunctionExpression(e) || T.isFunctionDeclaration(e) || T.isMethodDeclaration(e))
      return { labels: [], words: 0, api: [], fns: [{ node: e, mod }] };
    if (T.isClassExpression(e) || T.isClassDeclaration(e)) return { labels: [], words: 0, api: [], klass: [{ node: e, mod }] };
    if (T.isSpreadElement(e) || T.isSpreadAssignment(e)) return this.evaluate(e.expression, mod);
    if (T.isShorthandPropertyAssignment(e)) return this.identValue(e.name, mod);
    if (T.isPropertyAssignment(e)) return this.evaluate(e.initializer, mod);
    if (T.isVariableDeclaration(e)) return e.initializer ? this.evaluate(e.initializer, mod) : EMPTY;
    return EMPTY;
  }

  /** The value as text: objects and arrays interpolated into a string carry all their labels. */
  private stringify(v: Value): Value {
    if (!v.props && !v.elems) return v;
    const labels = deepLabels(v);
    const words = (v.elems ?? []).reduce((n, x) => n + x.words, v.words);
    return { labels, words, api: [], anchor: v.anchor };
  }

  /** The text a content value carries (string, content parts, Gemini parts), skipping document blocks. */
  textOf(v: Value, depth = 0): Value {
    if (depth > 5) return v;
    if (!v.props && !v.elems) return v;
    const parts: Value[] = [{ labels: v.labels, words: v.words, api: [], text: v.text, anchor: v.anchor }];
    if (v.props) {
      const type = v.props.get('type')?.text;
      if (type && DOC_BLOCK_TYPES.has(type)) return EMPTY;
      for (const k of ['text', 'content', 'parts']) {
        const p = v.props.get(k);
        if (p) parts.push(this.textOf(p, depth + 1));
      }
    }
    if (v.elems) for (const el of v.elems) parts.push(this.textOf(el, depth + 1));
    const out = concat(parts);
    if (parts.some((p) => p.text === undefined)) delete out.text;
    return out;
  }

  private objectValue(e: ts.ObjectLiteralExpression, mod: ModuleInfo): Value {
    const props = new Map<string, Value>();
    const propNodes = new Map<string, ts.Node>();
    let labels: Label[] = [];
    let guarded: boolean | undefined;
    for (const p of e.properties) {
      if (T.isSpreadAssignment(p)) {
        const sv = this.evaluate(p.expression, mod);
        if (sv.props) for (const [k, v] of sv.props) {
          props.set(k, v);
          const n = sv.propNodes?.get(k);
          if (n) propNodes.set(k, n);
        }
        if (sv.labels.length) labels = mergeLabels(labels, sv.labels);
        if (sv.guarded) guarded = true;
        continue;
      }
      const name = p.name ? propName(p.name) : undefined;
      if (name === undefined) continue;
      if (T.isPropertyAssignment(p)) {
        props.set(name, this.evaluate(p.initializer, mod));
        propNodes.set(name, p.initializer);
      } else if (T.isShorthandPropertyAssignment(p)) {
        props.set(name, this.identValue(p.name, mod));
        propNodes.set(name, p.name);
      } else if (T.isMethodDeclaration(p) || T.isGetAccessorDeclaration(p)) {
        props.set(name, T.isGetAccessorDeclaration(p) ? this.returnValue({ node: p, mod }) : { labels: [], words: 0, api: [], fns: [{ node: p, mod }] });
        propNodes.set(name, p);
      }
    }
    const v: Value = { labels, words: 0, api: [], props, propNodes };
    if (guarded) v.guarded = true;
    return v;
  }

  // ── identifiers and declarations

  private identValue(id: ts.Identifier, mod: ModuleInfo): Value {
    const name = id.text;
    if (name === 'undefined') return EMPTY;
    const decl = resolveName(id);
    let v: Value;
    if (!decl) v = this.globalValue(name);
    else if (decl === id) return EMPTY;
    else v = this.declValue(decl, mod);
    if (v.labels.length && this.isGuarded(id, mod)) v = { ...v, labels: [] };
    return v;
  }

  private globalValue(name: string): Value {
    if (FIXED_PATH_GLOBALS.has(name)) return { labels: [], words: 0, api: [], text: '\u0000fixed-path' };
    const api: ApiRef[] = this.registry
      .globals()
      .filter((m) => m.rootNames.has(name))
      .map((m) => ({ model: m.id, tokens: [name] }));
    return { labels: [], words: 0, api: api.map((a) => this.registry.normalize(a)) };
  }

  declValue(decl: Decl, mod: ModuleInfo): Value {
    return this.memoized(this.declValues, decl, () => this.declValueInner(decl, mod));
  }

  private declValueInner(decl: Decl, mod: ModuleInfo): Value {
    const parent = decl.parent;
    const imp = mod.imports.get(decl);
    if (imp) return this.importValue(imp.specifier, imp.name, mod);
    let base: Value = EMPTY;
    if (T.isVariableDeclaration(parent) && parent.name === decl) base = this.variableInit(parent, mod);
    else if (T.isBindingElement(parent)) base = this.bindingValue(parent, mod);
    else if (T.isParameter(parent)) base = this.paramValue(parent, mod);
    else if (T.isFunctionDeclaration(parent) || T.isFunctionExpression(parent)) return { labels: [], words: 0, api: [], fns: [{ node: parent, mod }] };
    else if (T.isClassDeclaration(parent) || T.isClassExpression(parent)) return { labels: [], words: 0, api: [], klass: [{ node: parent, mod }] };
    else if (T.isEnumDeclaration(parent)) return EMPTY;
    const extra: Value[] = [];
    for (const a of mod.assignments.get(decl) ?? []) {
      const parentBin = a.parent as ts.BinaryExpression;
      extra.push(parentBin.operatorToken?.kind === T.SyntaxKind.PlusEqualsToken ? concat([base, this.evaluate(a, mod)]) : this.evaluate(a, mod));
    }
    let v = extra.length ? union([base, ...extra]) : base;
    const pushes = mod.pushes.get(decl);
    if (pushes?.length) {
      const elems = [...(v.elems ?? [])];
      const nodes = [...(v.elemNodes ?? (v.elems ?? []).map(() => undefined))];
      for (const p of pushes) {
        if (T.isSpreadElement(p)) {
          const sv = this.evaluate(p.expression, mod);
          elems.push(...(sv.elems ?? []));
          nodes.push(...(sv.elemNodes ?? (sv.elems ?? []).map(() => undefined)));
        } else {
          elems.push(this.evaluate(p, mod));
          nodes.push(p);
        }
      }
      v = { ...v, elems, elemNodes: nodes };
    }
    const members = mod.memberAssigns.get(decl);
    if (members?.size) {
      const props = new Map(v.props ?? []);
      const propNodes = new Map(v.propNodes ?? []);
      for (const [k, exprs] of members) {
        props.set(k, union([props.get(k) ?? EMPTY, ...exprs.map((x) => this.evaluate(x, mod))]));
        if (!propNodes.has(k)) propNodes.set(k, exprs[0]);
      }
      v = { ...v, props, propNodes };
    }
    return v;
  }

  private variableInit(d: ts.VariableDeclaration, mod: ModuleInfo): Value {
    const list = d.parent;
    const stmt = list?.parent;
    if (stmt && (T.isForOfStatement(stmt) || T.isForInStatement(stmt)) && stmt.initializer === list) {
      const iter = this.evaluate(stmt.expression, mod);
      return T.isForInStatement(stmt) ? taintOnly(iter) : this.elementOf(iter, stmt.expression, mod);
    }
    if (d.initializer) return this.evaluate(d.initializer, mod);
    return EMPTY;
  }

  private bindingValue(el: ts.BindingElement, mod: ModuleInfo): Value {
    const pattern = el.parent;
    const holder = pattern.parent;
    let whole: Value;
    if (T.isVariableDeclaration(holder)) whole = this.variableInit(holder, mod);
    else if (T.isParameter(holder)) whole = this.paramValue(holder, mod);
    else if (T.isBindingElement(holder)) whole = this.bindingValue(holder, mod);
    else whole = EMPTY;
    let v: Value;
    if (T.isArrayBindingPattern(pattern) && T.isVariableDeclaration(holder) && holder.initializer && isStateHook(holder.initializer)) {
      const idx = pattern.elements.indexOf(el);
      const setterEl = pattern.elements[1];
      if (idx === 0 && setterEl && T.isBindingElement(setterEl) && T.isIdentifier(setterEl.name)) {
        const init = skipParens(holder.initializer) as ts.CallExpression;
        const parts: Value[] = init.arguments[0] ? [this.evaluate(init.arguments[0], mod)] : [];
        for (const c of mod.localCallers.get(setterEl.name) ?? []) {
          const a = c.arguments?.[0];
          if (!a) continue;
          const av = this.evaluate(a, mod);
          parts.push(av.fns ? union([av, ...av.fns.map((f) => this.returnValue(f))]) : av);
        }
        return union(parts);
      }
    }
    if (T.isArrayBindingPattern(pattern)) {
      const idx = pattern.elements.indexOf(el);
      v = el.dotDotDotToken ? whole : whole.elems?.[idx] ? union([whole.elems[idx], taintOnly(whole)]) : this.elementOf(whole, el, mod);
    } else {
      if (el.dotDotDotToken) v = whole;
      else {
        const name = el.propertyName ? propName(el.propertyName) : T.isIdentifier(el.name) ? el.name.text : undefined;
        v = name === undefined ? taintOnly(whole) : this.member(whole, name, el, mod);
      }
    }
    if (el.initializer) v = union([v, this.evaluate(el.initializer, mod)]);
    return v;
  }

  private importValue(specifier: string, name: string, mod: ModuleInfo): Value {
    const models = this.registry.modelsForModule(specifier);
    if (models.length) {
      const tokens = name === '*' ? [] : [name];
      const api = models.map((m) => this.registry.normalize({ model: m.id, tokens }));
      // CommonJS interop: `require('axios').get` is the default export's member
      if (name === '*') for (const m of models) api.push(this.registry.normalize({ model: m.id, tokens: ['default'] }));
      return { labels: [], words: 0, api };
    }
    if (specifier.startsWith('.') || specifier.startsWith('/') || !isBareLooking(specifier)) {
      const target = this.host.resolveImport(specifier, mod.path);
      const tm = target ? this.host.getModule(target) : undefined;
      // an in-house wrapper described by a pack's model (`files:`): its exports are that model's API
      const fileModels = tm && this.registry.hasFileModels ? this.registry.modelsForFile(tm.rel) : [];
      if (fileModels.length) {
        const tokens = name === '*' ? [] : [name];
        const api = fileModels.map((m) => this.registry.normalize({ model: m.id, tokens }));
        if (name === '*') for (const m of fileModels) api.push(this.registry.normalize({ model: m.id, tokens: ['default'] }));
        return { labels: [], words: 0, api };
      }
      if (tm) return name === '*' ? { labels: [], words: 0, api: [], ns: tm } : this.exportValue(tm, name, 0);
    } else {
      const target = this.host.resolveImport(specifier, mod.path);
      const tm = target ? this.host.getModule(target) : undefined;
      if (tm) return name === '*' ? { labels: [], words: 0, api: [], ns: tm } : this.exportValue(tm, name, 0);
    }
    return EMPTY;
  }

  exportValue(tm: ModuleInfo, name: string, depth: number): Value {
    if (depth > 8) return EMPTY;
    const t = tm.exports.get(name);
    if (t) {
      if (t.kind === 'reexport') return this.importValue(t.specifier, t.name, tm);
      const n = t.node;
      if (T.isIdentifier(n)) {
        const decl = n.parent && (T.isVariableDeclaration(n.parent) || T.isFunctionDeclaration(n.parent) || T.isClassDeclaration(n.parent) || T.isBindingElement(n.parent) || T.isEnumDeclaration(n.parent) || T.isImportSpecifier(n.parent) || T.isImportClause(n.parent) || T.isNamespaceImport(n.parent)) && (n.parent as ts.NamedDeclaration).name === n ? n : resolveName(n);
        return decl ? this.declValue(decl, tm) : this.evaluate(n, tm);
      }
      return this.evaluate(n, tm);
    }
    for (const spec of tm.starExports) {
      const v = this.importValue(spec, name, tm);
      if (v !== EMPTY) return v;
    }
    const def = tm.exports.get('default');
    if (def && def.kind === 'local' && name !== 'default') {
      const dv = this.evaluate(def.node, tm);
      if (dv.props?.has(name)) return dv.props.get(name)!;
    }
    return EMPTY;
  }

  // ── parameters

  private paramValue(p: ts.ParameterDeclaration, mod: ModuleInfo): Value {
    const fn = p.parent as ts.SignatureDeclaration;
    const index = fn.parameters.indexOf(p);
    const parts: Value[] = [];
    let concrete = false;
    // 1. the call this function is passed to as a callback
    const ctxs = this.callbackContexts(fn, mod);
    for (const c of ctxs) {
      const pv = this.callbackParamValue(c, index, p, mod);
      if (pv) {
        parts.push(pv);
        concrete = true;
      }
    }
    // 1a. a component rendered as `<Comp prop={x} />`: its props are the attributes
    if (index === 0)
      for (const use of this.jsxUses.get(fn) ?? []) {
        parts.push(this.jsxProps(use.el, use.mod));
        concrete = true;
      }
    // 1b. a model-callable tool's handler: its input is chosen by the model
    const tv = this.toolParamValue(fn, index, p, mod, ctxs);
    if (tv) {
      parts.push(tv);
      concrete = true;
    }
    // 2. decorators (NestJS @Body() …)
    for (const dec of T.canHaveDecorators(p) ? (T.getDecorators(p) ?? []) : []) {
      const callee = T.isCallExpression(dec.expression) ? dec.expression.expression : dec.expression;
      const dv = this.evaluate(callee, mod);
      for (const ref of dv.api) {
        const model = this.registry.models.get(ref.model);
        for (const row of model?.sources ?? [])
          if (row.mode === 'decorator' && row.paths.some((pp) => pathMatches(pp, ref.tokens))) {
            parts.push({ labels: [{ kind: row.kind, what: row.what ?? describeKind(row.kind), origin: row.id, node: p, mod, steps: [] }], words: 0, api: [] });
            concrete = true;
          }
      }
    }
    // 3. framework conventions (route handlers) and server actions
    const conv = this.conventionParam(fn, index, p, mod);
    if (conv) {
      parts.push(conv);
      concrete = true;
    }
    // 4. the declared type
    if (p.type) {
      const tv = this.typeValue(p.type, mod, p);
      if (tv) parts.push(tv);
    }
    if (p.initializer) parts.push(this.evaluate(p.initializer, mod));
    if (!concrete) {
      const label: Label = { kind: 'param', what: `parameter '${p.name.getText(mod.sf)}'`, node: p, mod, steps: [], fn, index };
      parts.push({ labels: [label], words: 0, api: [], paramRef: { fn, index } });
    }
    return union(parts);
  }

  private toolParamValue(fn: ts.SignatureDeclaration, index: number, p: ts.ParameterDeclaration, mod: ModuleInfo, ctxs: { call: CallLike; index: number; prop?: string }[]): Value | undefined {
    // a subclass of a tool base class: `class Shell extends StructuredTool { async _call(input) {…} }`
    if (T.isMethodDeclaration(fn) && fn.name && T.isClassLike(fn.parent)) {
      const mname = propName(fn.name);
      const heritage = fn.parent.heritageClauses?.find((h) => h.token === T.SyntaxKind.ExtendsKeyword)?.types[0];
      if (heritage) {
        const base = this.evaluate(heritage.expression, mod);
        for (const ref of base.api) {
          const model = this.registry.models.get(ref.model);
          for (const row of model?.tools ?? [])
            if (row.handler === `method:${mname}` && row.extendsPaths.some((pp) => pathMatches(pp, ref.tokens)) && index === (row.param ?? 0)) {
              const name = this.classToolName(fn.parent);
              if (name && this.isGatedTool(name, mod)) return { labels: [], words: 0, api: [] };
              const schemaProp = fn.parent.members.find((m) => T.isPropertyDeclaration(m) && m.name && propName(m.name) === 'schema') as ts.PropertyDeclaration | undefined;
              const schema = schemaProp?.initializer ? this.evaluate(schemaProp.initializer, mod).schema : undefined;
              return this.toolArgValue(p, mod, name, schema);
            }
        }
      }
    }
    for (const c of ctxs) {
      const callee = skipParens(c.call.expression);
      const cv = this.evaluate(callee, mod);
      const rows: Model['tools'][number][] = [];
      for (const ref of cv.api) {
        const model = this.registry.models.get(ref.model);
        for (const row of model?.tools ?? []) if (row.paths.some((pp) => pathMatches(pp, ref.tokens))) rows.push(row);
      }
      if (!rows.length && !cv.fns) {
        const chain = calleeChain(callee);
        for (const s of this.registry.suffixTools) if (endsWith(chain, s.suffix)) rows.push(s.row);
      }
      const args = c.call.arguments ?? T.factory.createNodeArray();
      for (const row of rows) {
        if (index !== (row.param ?? 0)) continue;
        const optIndex = row.options ?? 0;
        const h = row.handler;
        const isHandler =
          h === 'last' ? c.index === args.length - 1 && !c.prop : h.startsWith('arg') ? c.index === Number(h.slice(3)) && !c.prop : h.startsWith('field:') ? c.index === optIndex && c.prop === h.slice(6) : false;
        if (!isHandler) continue;
        const optNode = args[optIndex];
        // gates on the definition: needsApproval, tool input guardrails
        for (const g of row.gates ?? []) {
          const gn = optNode ? fieldNode(optNode, g) : undefined;
          if (gn && gn.kind !== T.SyntaxKind.FalseKeyword && !(T.isArrayLiteralExpression(gn) && gn.elements.length === 0)) return { labels: [], words: 0, api: [] };
        }
        let name: string | undefined;
        if (row.name?.startsWith('arg')) name = args[Number(row.name.slice(3))] ? this.evaluate(args[Number(row.name.slice(3))], mod).text : undefined;
        else if (row.name?.startsWith('field:') && optNode) name = getField(this.evaluate(optNode, mod), row.name.slice(6))?.text;
        if (name && this.isGatedTool(name, mod)) return { labels: [], words: 0, api: [] };
        const schema = this.schemaInArgs(c.call, mod, optNode);
        return this.toolArgValue(p, mod, name, schema);
      }
    }
    return undefined;
  }

  /** A human-in-the-loop gate for this tool name in the tool's own module, or in a module that imports it or that it imports. */
  private isGatedTool(name: string, toolMod: ModuleInfo): boolean {
    const gates = this.gatedTools.get(name);
    if (!gates) return false;
    const imports = (a: ModuleInfo, b: ModuleInfo) => [...a.specifiers].some((s) => this.host.resolveImport(s, a.path) === b.path);
    return gates.some((g) => g === toolMod || imports(g, toolMod) || imports(toolMod, g));
  }

  private jsxProps(el: ts.JsxOpeningElement | ts.JsxSelfClosingElement, mod: ModuleInfo): Value {
    const props = new Map<string, Value>();
    let labels: Label[] = [];
    for (const a of el.attributes.properties) {
      if (T.isJsxSpreadAttribute(a)) {
        const sv = this.evaluate(a.expression, mod);
        for (const [k, v] of sv.props ?? []) props.set(k, v);
        labels = mergeLabels(labels, sv.labels);
      } else if (T.isIdentifier(a.name)) {
        const init = a.initializer;
        const v = !init ? EMPTY : T.isStringLiteral(init) ? this.evaluate(init, mod) : T.isJsxExpression(init) && init.expression ? this.evaluate(init.expression, mod) : EMPTY;
        props.set(a.name.text, v);
      }
    }
    return { labels, words: 0, api: [], props };
  }

  private toolArgValue(p: ts.ParameterDeclaration, mod: ModuleInfo, toolName: string | undefined, schema: Schema | undefined): Value {
    const label: Label = { kind: 'llm-output', toolArg: true, what: toolName ? `the model-chosen input of tool \`${toolName}\`` : 'a model-chosen tool input', node: p, mod, steps: [] };
    const raw: Value = { labels: [label], words: 0, api: [] };
    return schema ? this.applySchema(schema, raw, p, mod) : raw;
  }

  private classToolName(cls: ts.ClassLikeDeclaration): string | undefined {
    for (const m of cls.members)
      if (T.isPropertyDeclaration(m) && m.name && propName(m.name) === 'name' && m.initializer && T.isStringLiteralLike(m.initializer)) return m.initializer.text;
    return undefined;
  }

  private typeValue(t: ts.TypeNode, mod: ModuleInfo, at: ts.Node): Value | undefined {
    if (T.isUnionTypeNode(t)) {
      const vs = t.types.map((x) => this.typeValue(x, mod, at)).filter((x): x is Value => !!x);
      return vs.length ? union(vs) : undefined;
    }
    if (!T.isTypeReferenceNode(t)) return undefined;
    const names: string[] = [];
    let n: ts.EntityName = t.typeName;
    while (T.isQualifiedName(n)) {
      names.unshift(n.right.text);
      n = n.left;
    }
    const decl = resolveName(n);
    let base: Value;
    if (decl) {
      const imp = mod.imports.get(decl);
      if (!imp) {
        // a class declared in this file: an instance of it
        if (names.length === 0 && (T.isClassDeclaration(decl.parent) || T.isClassExpression(decl.parent)))
          return { labels: [], words: 0, api: [], cls: [{ node: decl.parent, mod }] };
        return undefined;
      }
      const models = this.registry.modelsForModule(imp.specifier);
      if (!models.length) {
        const v = this.importValue(imp.specifier, imp.name, mod);
        // a type exported by an in-house wrapper that a pack models (`files:`)
        if (v.api.length && this.registry.hasFileModels) base = { labels: [], words: 0, api: v.api.map((a) => ({ model: a.model, tokens: imp.name === '*' ? [] : [imp.name] })) };
        else return v.klass && names.length === 0 ? { labels: [], words: 0, api: [], cls: v.klass } : undefined;
      } else base = { labels: [], words: 0, api: models.map((m) => ({ model: m.id, tokens: imp.name === '*' ? [] : [imp.name] })) };
    } else base = this.globalValue(n.text);
    let api = base.api;
    for (const nm of names) api = api.map((a) => ({ model: a.model, tokens: [...a.tokens, nm] }));
    api = api.map((a) => this.registry.normalize({ model: a.model, tokens: [...a.tokens, '()'] }));
    const out: Value = { labels: [], words: 0, api };
    // a parameter whose declared type is itself a source (e.g. a request body type) gets its label
    for (const ref of api) {
      const model = this.registry.models.get(ref.model);
      for (const row of model?.sources ?? [])
        if (row.mode === 'member' && row.paths.some((pp) => pathMatches(pp, ref.tokens)))
          return { ...out, labels: [{ kind: row.kind, what: row.what ?? describeKind(row.kind), origin: row.id, node: at, mod, steps: [] }] };
    }
    return api.length ? out : undefined;
  }

  private callbackContexts(fn: ts.SignatureDeclaration, mod: ModuleInfo): { call: CallLike; index: number; prop?: string }[] {
    const out: { call: CallLike; index: number; prop?: string }[] = [];
    let node: ts.Node = fn;
    while (node.parent && (T.isParenthesizedExpression(node.parent) || T.isAsExpression(node.parent))) node = node.parent;
    const parent = node.parent;
    if (parent && (T.isCallExpression(parent) || T.isNewExpression(parent)) && parent.arguments?.includes(node as ts.Expression))
      out.push({ call: parent, index: parent.arguments.indexOf(node as ts.Expression) });
    // handler: async (req) => … inside an options object passed to a call (fastify.route({ handler }))
    if (parent && T.isPropertyAssignment(parent) && T.isObjectLiteralExpression(parent.parent) && parent.parent.parent && (T.isCallExpression(parent.parent.parent) || T.isNewExpression(parent.parent.parent)))
      out.push({ call: parent.parent.parent, index: (parent.parent.parent.arguments ?? T.factory.createNodeArray()).indexOf(parent.parent), prop: propName(parent.name) });
    // a method in an options object: `tool({ async execute(args) { … } })`
    if ((T.isMethodDeclaration(fn) || T.isGetAccessorDeclaration(fn)) && T.isObjectLiteralExpression(fn.parent) && fn.parent.parent && (T.isCallExpression(fn.parent.parent) || T.isNewExpression(fn.parent.parent)))
      out.push({ call: fn.parent.parent, index: (fn.parent.parent.arguments ?? T.factory.createNodeArray()).indexOf(fn.parent), prop: fn.name ? propName(fn.name) : undefined });
    let nameDecl: Decl | undefined;
    if (T.isFunctionDeclaration(fn) && fn.name) nameDecl = fn.name;
    else if (parent && T.isVariableDeclaration(parent) && T.isIdentifier(parent.name)) nameDecl = parent.name;
    if (nameDecl) for (const use of mod.argUses.get(nameDecl) ?? []) out.push(use);
    return out;
  }

  private callbackParamValue(c: { call: CallLike; index: number }, index: number, p: ts.ParameterDeclaration, mod: ModuleInfo): Value | undefined {
    const call = c.call;
    const callee = skipParens(call.expression);
    const calleeVal = this.evaluate(callee, mod);
    const args = call.arguments ?? T.factory.createNodeArray();
    for (const ref of calleeVal.api) {
      const model = this.registry.models.get(ref.model);
      if (!model) continue;
      for (const row of model.callbacks) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        if (!argMatches(row.arg, c.index, args.length)) continue;
        const ev = args[0] ? this.evaluate(args[0], mod).text : undefined;
        if (row.event && !(ev && row.event.includes(ev))) continue;
        if (row.exceptEvent && ev && row.exceptEvent.includes(ev)) continue;
        const spec = row.params[index];
        if (!spec) continue;
        return this.specValue(spec, p, mod, model.id, callee, call);
      }
    }
    if (!calleeVal.fns) {
      const chain = calleeChain(callee);
      for (const s of this.registry.suffixCallbacks) {
        if (!endsWith(chain, s.suffix) || !argMatches(s.row.arg, c.index, args.length)) continue;
        const spec = s.row.params[index];
        if (spec) return this.specValue(spec, p, mod, s.model.id, callee, call);
      }
    }
    // array / promise callbacks: the element or the resolved value
    if (T.isPropertyAccessExpression(callee)) {
      const m = callee.name.text;
      const recv = this.evaluate(callee.expression, mod);
      if (['map', 'flatMap', 'forEach', 'filter', 'find', 'findLast', 'some', 'every', 'findIndex', 'sort'].includes(m) && index === 0 && c.index === 0)
        return this.elementOf(recv, callee.expression, mod);
      if (m === 'reduce' && c.index === 0) return index === 1 ? this.elementOf(recv, callee.expression, mod) : index === 0 && args[1] ? this.evaluate(args[1], mod) : undefined;
      if (m === 'then' && index === 0) return recv;
    }
    return undefined;
  }

  private specValue(spec: CallbackParam, p: ts.Node, mod: ModuleInfo, ownModel: string, callee?: ts.Expression, call?: CallLike): Value {
    if (spec.schemaFromArgs && call && spec.kind && !spec.type && !spec.members) {
      const schema = this.schemaInArgs(call, mod);
      const raw: Value = { labels: [{ kind: spec.kind, what: spec.what ?? describeKind(spec.kind), node: p, mod, steps: [] }], words: 0, api: [] };
      if (schema) return this.applySchema(schema, raw, p, mod);
    }
    const parts: Value[] = [];
    if (spec.type) {
      const [modelId, typeName] = spec.type.includes(':') ? spec.type.split(':', 2) : [ownModel, spec.type];
      const models = [modelId];
      parts.push({ labels: [], words: 0, api: models.map((m) => ({ model: m, tokens: [typeName] })) });
    } else if (spec.kind) {
      parts.push({ labels: [{ kind: spec.kind, what: spec.what ?? describeKind(spec.kind), node: p, mod, steps: [], toolArg: spec.toolArg }], words: 0, api: [] });
    }
    if (spec.members) {
      // `procedure.input(z.object({…})).mutation(({ input }) => …)`: the schema in the chain validates the members
      let schema: Schema | undefined;
      if (spec.validatedBy && callee) {
        for (let e: ts.Expression = callee; ; ) {
          e = skipParens(e);
          if (T.isPropertyAccessExpression(e)) e = e.expression;
          else if (T.isCallExpression(e)) {
            const ce = skipParens(e.expression);
            if (T.isPropertyAccessExpression(ce) && ce.name.text === spec.validatedBy && e.arguments[0]) {
              schema = this.evaluate(e.arguments[0], mod).schema;
              break;
            }
            e = ce;
          } else break;
        }
      }
      const props = new Map<string, Value>();
      for (const [k, kind] of Object.entries(spec.members)) {
        const raw: Value = { labels: [{ kind, what: spec.what ?? describeKind(kind), node: p, mod, steps: [] }], words: 0, api: [] };
        props.set(k, schema ? this.applySchema(schema, raw, p, mod) : raw);
      }
      parts.push({ labels: [], words: 0, api: [], props });
    }
    return union(parts);
  }

  /** A zod schema among a call's arguments: a schema value, a raw shape of schemas, or an `inputSchema` field. */
  private schemaInArgs(call: CallLike, mod: ModuleInfo, options?: ts.Expression): Schema | undefined {
    if (options) {
      const ov = this.evaluate(options, mod);
      for (const f of ['inputSchema', 'parameters', 'schema', 'paramsSchema', 'argsSchema']) {
        const s = ov.props?.get(f);
        if (s?.schema) return s.schema;
        if (s?.props && s.props.size && [...s.props.values()].every((x) => x.schema)) {
          const props = new Map<string, Schema>();
          for (const [k, x] of s.props) props.set(k, x.schema!);
          return { kind: 'object', props };
        }
      }
    }
    for (const a of call.arguments ?? []) {
      const v = this.evaluate(a, mod);
      if (v.schema) return v.schema;
      const inner = v.props?.get('inputSchema') ?? v.props?.get('paramsSchema') ?? v.props?.get('argsSchema') ?? v.props?.get('parameters');
      if (inner?.schema) return inner.schema;
      const shape = inner?.props ?? v.props;
      if (shape && shape.size && [...shape.values()].every((x) => x.schema)) {
        const props = new Map<string, Schema>();
        for (const [k, x] of shape) props.set(k, x.schema!);
        return { kind: 'object', props };
      }
    }
    return undefined;
  }

  private conventionParam(fn: ts.SignatureDeclaration, index: number, p: ts.ParameterDeclaration, mod: ModuleInfo): Value | undefined {
    // server actions: 'use server' module or function body directive
    const exported = isExportedFunction(fn);
    const fbody = (fn as ts.FunctionLikeDeclaration).body;
    const first = fbody && T.isBlock(fbody) ? fbody.statements[0] : undefined;
    const bodyDirective = !!first && T.isExpressionStatement(first) && T.isStringLiteral(first.expression) && first.expression.text === 'use server';
    if ((mod.useServer && exported.exported) || bodyDirective)
      return { labels: [{ kind: 'untrusted', what: 'a server action argument', node: p, mod, steps: [] }], words: 0, api: [] };
    // `(req, res) => …` handlers written apart from their registration
    const conv = this.conventions();
    if (T.isIdentifier(p.name)) {
      const rows = conv.named.get(p.name.text);
      if (rows) {
        const names = fn.parameters.map((x) => (T.isIdentifier(x.name) ? x.name.text : ''));
        for (const { model, row } of rows)
          if (names.some((n, i) => i !== index && row.siblings.includes(n))) return { labels: [], words: 0, api: [this.registry.normalize({ model, tokens: [row.type] })] };
      }
    }
    if (!exported.exported || !exported.name) return undefined;
    for (const { model, row, file } of conv.typed.get(exported.name) ?? []) {
      if (row.param !== index) continue;
      if (row.file && !file?.test(mod.rel)) continue;
      return { labels: [], words: 0, api: [this.registry.normalize({ model, tokens: [row.type] })] };
    }
    return undefined;
  }

  private conventionIndex?: {
    named: Map<string, { model: string; row: NamedParamRow }[]>;
    typed: Map<string, { model: string; row: TypedParamRow; file?: RegExp }[]>;
  };

  /** The models' parameter conventions by parameter name and by function name, in model order. */
  private conventions(): NonNullable<Analyzer['conventionIndex']> {
    if (this.conventionIndex) return this.conventionIndex;
    const named = new Map<string, { model: string; row: NamedParamRow }[]>();
    const typed = new Map<string, { model: string; row: TypedParamRow; file?: RegExp }[]>();
    for (const m of this.registry.models.values()) {
      for (const row of m.file.namedParams ?? [])
        for (const n of new Set(row.names)) named.set(n, [...(named.get(n) ?? []), { model: m.id, row }]);
      for (const row of m.file.typedParams ?? []) {
        let file: RegExp | undefined;
        try {
          file = row.file ? new RegExp(row.file) : undefined;
        } catch {
          file = /(?!)/; // a pattern that does not compile matches nothing
        }
        for (const f of new Set(row.functions)) typed.set(f, [...(typed.get(f) ?? []), { model: m.id, row, file }]);
      }
    }
    return (this.conventionIndex = { named, typed });
  }

  // ── members

  private memberValue(e: ts.PropertyAccessExpression | ts.ElementAccessExpression, mod: ModuleInfo): Value {
    const name = memberName(e);
    const obj = this.evaluate(e.expression, mod);
    let v: Value;
    if (name === undefined) {
      // computed access: MAP[key] → one of the map's values; arr[i] → an element
      const parts: Value[] = [taintOnly(obj)];
      if (obj.props) parts.push(...obj.props.values());
      if (obj.elems) parts.push(...obj.elems);
      // `toolbox[call.name](args)`: any method of the instance
      for (const c of obj.cls ?? [])
        for (const m of c.node.members) if (T.isMethodDeclaration(m) && !T.getModifiers(m)?.some((x) => x.kind === T.SyntaxKind.StaticKeyword || x.kind === T.SyntaxKind.PrivateKeyword)) parts.push({ labels: [], words: 0, api: [], fns: [{ node: m, mod: c.mod }] });
      v = union(parts);
      if (!obj.props && !obj.elems && obj.labels.length === 0 && obj.api.length) v = { ...v, api: obj.api };
    } else v = this.member(obj, name, e, mod);
    if (v.labels.length && this.isGuarded(e, mod)) v = { ...v, labels: [] };
    return v;
  }

  member(obj: Value, name: string, at: ts.Node, mod: ModuleInfo): Value {
    const parts: Value[] = [];
    if (obj.ns) parts.push(this.exportValue(obj.ns, name, 0));
    if (obj.api.length) {
      const api: ApiRef[] = [];
      let labels: Label[] = [];
      for (const ref of obj.api) {
        const r2 = this.registry.extend(ref, name);
        api.push(r2);
        const model = this.registry.models.get(r2.model);
        for (const row of model?.sources ?? [])
          if (row.mode === 'member' && row.paths.some((pp) => pathMatches(pp, r2.tokens)))
            labels = mergeLabels(labels, [{ kind: row.kind, what: row.what ?? describeKind(row.kind), origin: row.id, node: at, mod, steps: [] }]);
      }
      parts.push({ labels, words: 0, api });
    }
    if (obj.props?.has(name)) parts.push(obj.props.get(name)!);
    for (const c of obj.klass ?? []) parts.push(this.classMember(c, name, true));
    for (const c of obj.cls ?? []) parts.push(this.classMember(c, name, false));
    const scalar = SCALAR_MEMBERS.has(name) || (RESPONSE_SCALAR_MEMBERS.has(name) && obj.api.some(isResponseObject));
    if (obj.labels.length && !scalar) {
      // the tool calls a model asked for: their arguments are model-chosen tool inputs
      const toolCall = this.registry.toolCallMembers.has(name);
      parts.push({ labels: toolCall ? obj.labels.map((l) => (l.kind === 'llm-output' && !l.toolArg ? { ...l, what: 'the arguments of a model tool call' } : l)) : obj.labels, words: 0, api: [] });
    }
    if (obj.verdictOf) parts.push({ labels: [], words: 0, api: [], verdictOf: obj.verdictOf });
    if (obj.guarded && obj.api.length) {
      const u = union(parts);
      return { ...u, guarded: true };
    }
    if (scalar) return union(parts.filter((x) => x.api.length || x.props || x.fns));
    return union(parts);
  }

  private classMember(c: ClassRef, name: string, isStatic: boolean): Value {
    const parts: Value[] = [];
    for (const m of c.node.members) {
      const isStaticMember = !!(T.canHaveModifiers(m) && T.getModifiers(m)?.some((x) => x.kind === T.SyntaxKind.StaticKeyword));
      if (isStaticMember !== isStatic) continue;
      if (!m.name || propName(m.name) !== name) continue;
      if (T.isPropertyDeclaration(m) && m.initializer) parts.push(this.evaluate(m.initializer, c.mod));
      else if (T.isMethodDeclaration(m)) parts.push({ labels: [], words: 0, api: [], fns: [{ node: m, mod: c.mod }] });
      else if (T.isGetAccessorDeclaration(m)) parts.push(this.returnValue({ node: m, mod: c.mod }));
      else if (T.isPropertyDeclaration(m) && m.type) {
        const tv = this.typeValue(m.type, c.mod, m);
        if (tv) parts.push(tv);
      }
    }
    if (!isStatic) {
      for (const x of c.mod.thisAssigns.get(c.node)?.get(name) ?? []) parts.push(this.evaluate(x, c.mod));
      const ctor = c.node.members.find(T.isConstructorDeclaration);
      const pp = ctor?.parameters.find((p) => T.isIdentifier(p.name) && p.name.text === name && T.getModifiers(p)?.length);
      if (pp && T.isIdentifier(pp.name)) parts.push(this.declValue(pp.name, c.mod));
      if (!parts.length && c.node.heritageClauses) {
        // inherited members are not followed; unknown
      }
    }
    return union(parts);
  }

  elementOf(v: Value, at: ts.Node, mod: ModuleInfo): Value {
    const parts: Value[] = [taintOnly(v)];
    if (v.elems) parts.push(...v.elems);
    for (const ref of v.api) {
      const model = this.registry.models.get(ref.model);
      for (const row of model?.sources ?? [])
        if (row.mode === 'iterate' && row.paths.some((pp) => pathMatches(pp, ref.tokens)))
          parts.push({ labels: [{ kind: row.kind, what: row.what ?? describeKind(row.kind), origin: row.id, node: at, mod, steps: [] }], words: 0, api: [] });
    }
    return union(parts);
  }

  // ── calls

  private callValue(call: ts.CallExpression, mod: ModuleInfo): Value {
    const callee = skipParens(call.expression);
    const args = call.arguments;
    if (T.isIdentifier(callee) && callee.text === 'require' && !resolveName(callee) && args[0] && T.isStringLiteralLike(args[0]))
      return this.importValue(args[0].text, '*', mod);
    if (callee.kind === T.SyntaxKind.ImportKeyword && args[0] && T.isStringLiteralLike(args[0])) return this.importValue(args[0].text, '*', mod);
    const calleeVal = this.evaluate(callee, mod);
    return this.invoke(call, callee, calleeVal, mod);
  }

  private newValue(call: ts.NewExpression, mod: ModuleInfo): Value {
    const callee = skipParens(call.expression);
    const calleeVal = this.evaluate(callee, mod);
    const parts: Value[] = [];
    if (calleeVal.klass) {
      const args = (call.arguments ?? []).map((a) => this.evaluate(a, mod));
      parts.push({ labels: [], words: 0, api: [], cls: calleeVal.klass.map((k) => ({ ...k, ctorArgs: args })) });
    }
    if (calleeVal.api.length || calleeVal.fns) parts.push(this.invoke(call, callee, { ...calleeVal, klass: undefined }, mod));
    if (!calleeVal.klass && !calleeVal.api.length && T.isIdentifier(callee)) {
      const n = callee.text;
      if (n === 'URL' || n === 'String' || n === 'Map' || n === 'Set' || n === 'Array') {
        const args = (call.arguments ?? []).map((a) => this.evaluate(a, mod));
        const u = union(args);
        parts.push(n === 'Set' || n === 'Array' ? { labels: u.labels, words: 0, api: [], elems: u.elems } : taintOnly(u));
      }
    }
    return union(parts);
  }

  private invoke(call: CallLike, callee: ts.Expression, calleeVal: Value, mod: ModuleInfo): Value {
    const args = call.arguments ?? T.factory.createNodeArray();
    const parts: Value[] = [];
    let known = false;
    const argVals = (): Value[] => args.map((a) => this.evaluate(a, mod));

    // util.promisify(fn) / fn.bind(x) behave like fn
    if ((T.isIdentifier(callee) && callee.text === 'promisify') || (T.isPropertyAccessExpression(callee) && (callee.name.text === 'promisify' || callee.name.text === 'bind')))
      if (args[0] || T.isPropertyAccessExpression(callee)) {
        const target = T.isPropertyAccessExpression(callee) && callee.name.text === 'bind' ? callee.expression : args[0];
        if (target) return this.evaluate(target, mod);
      }
    // promise chains: `p.then((v) => …)` yields the callback's result, `catch`/`finally` the receiver
    if (T.isPropertyAccessExpression(callee) && (callee.name.text === 'then' || callee.name.text === 'catch' || callee.name.text === 'finally')) {
      const recv = this.evaluate(callee.expression, mod);
      if (callee.name.text !== 'then') return recv;
      const cb = args[0] ? this.evaluate(args[0], mod) : EMPTY;
      return cb.fns ? union(cb.fns.map((f) => this.returnValue(f))) : recv;
    }
    // modelled APIs
    const recvLabels = calleeVal.api.length && (T.isPropertyAccessExpression(callee) || T.isElementAccessExpression(callee)) ? this.evaluate(callee.expression, mod).labels : [];
    let rowMatched = false;
    for (const ref of calleeVal.api) {
      const model = this.registry.models.get(ref.model);
      if (!model) continue;
      const result = this.registry.extend(ref, '()');
      const out: Value = { labels: [], words: 0, api: [result] };
      let labels: Label[] = [];
      if (this.registry.normalize(result) !== result || result.tokens.length === 1) rowMatched = true;
      for (const row of model.sources) {
        if (row.mode !== 'call' || !row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        rowMatched = true;
        if (row.unlessFixedPath !== undefined && args[row.unlessFixedPath] && this.isFixedPath(args[row.unlessFixedPath], mod)) continue;
        const label: Label = { kind: row.kind, what: row.what ?? describeKind(row.kind), origin: row.id, node: call, mod, steps: [] };
        if (row.schemaField && row.resultField && args[0]) {
          // structured output validated by a schema (`generateObject({ schema })` → `.object`)
          const schema = getField(this.evaluate(args[0], mod), row.schemaField)?.schema;
          if (schema) {
            const validated = this.applySchema(schema, { labels: [label], words: 0, api: [] }, call, mod);
            out.props = new Map([[row.resultField, validated]]);
            continue;
          }
        }
        labels = mergeLabels(labels, [label]);
      }
      for (const row of model.sanitizers) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        rowMatched = true;
        // an asserting or testing validator's result is not the text (its guard is in statementGuards / condAllows)
        if (row.mode === 'asserts' || row.mode === 'predicate') continue;
        if (row.for?.includes('all')) continue; // a validator whose result is safe everywhere
        // the text stays text (still tainted for prompts), but it is safe for these sinks (and for taint rules naming the row)
        const marks = [...(row.for ?? []), ...(row.id ? [`id:${row.id}`] : [])];
        const a0 = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        labels = mergeLabels(labels, deepLabels(a0).map((l) => ({ ...l, safeFor: [...(l.safeFor ?? []), ...marks] })));
      }
      for (const row of model.summaries) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        rowMatched = true;
        const src =
          row.from === 'receiver' && T.isPropertyAccessExpression(callee)
            ? [this.evaluate(callee.expression, mod)]
            : row.from === 'arg0'
              ? args[0] ? [this.evaluate(args[0], mod)] : []
              : row.from === 'arg1'
                ? args[1] ? [this.evaluate(args[1], mod)] : []
                : argVals();
        labels = mergeLabels(labels, ...src.map((s) => deepLabels(s)));
      }
      for (const row of model.guards) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        rowMatched = true;
        const a0 = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        if (row.effect === 'guarded-client' || row.effect === 'guarded-agent') {
          const ok = !row.when || !a0.props || row.when.some((w) => {
            const g = getField(a0, w);
            return !!g && ((g.elems?.length ?? 0) > 0 || g.labels.length > 0);
          });
          if (ok) out.guarded = true;
        } else if (row.effect === 'verdict') {
          const inputNode = row.input === 'arg0' || !row.input ? args[0] : row.input === '*' ? undefined : fieldNode(args[0], row.input, a0);
          const keys = row.input === '*' ? ['*'] : inputNode ? this.keysOf(inputNode, mod) : [];
          if (keys.length) out.verdictOf = keys;
        }
      }
      for (const row of model.templates) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        rowMatched = true;
        let arg: ts.Expression | undefined = args[0];
        if (row.field && arg) arg = fieldNode(arg, row.field, this.evaluate(arg, mod)) as ts.Expression | undefined;
        const t = this.makeTemplate(row.form, arg, mod);
        if (t) out.tmpl = [...(out.tmpl ?? []), t];
      }
      for (const row of model.retrievalChains) {
        if (!row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        rowMatched = true;
        const a0 = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        const chainV = row.chain ? getField(a0, row.chain) : undefined;
        const promptV = row.prompt ? getField(a0, row.prompt) : undefined;
        const retr = row.retriever ? getField(a0, row.retriever) : undefined;
        const tmpls = [...(chainV?.tmpl ?? []), ...(promptV?.tmpl ?? [])].map((t) => ({ ...t, bound: new Map(t.bound), piped: true }));
        if (retr && row.variable) {
          const rv = this.retrieverYield(retr, args[0]!, mod);
          for (const t of tmpls) {
            t.bound.set(row.variable, rv);
            this.checkTemplate(t, EMPTY, call, mod); // the chain wires retrieval into the template now
          }
        }
        if (tmpls.length) out.tmpl = [...(out.tmpl ?? []), ...tmpls];
      }
      if (recvLabels.length) labels = mergeLabels(labels, recvLabels);
      if (labels.length) out.labels = labels;
      parts.push(out);
      known = true;
    }
    // plain data an API returned (`(await readdir(d)).map(…)`, `rows.filter(…)`): built-in methods apply
    if (calleeVal.api.length && !rowMatched && T.isPropertyAccessExpression(callee) && PLAIN_DATA_METHODS.has(callee.name.text) && calleeVal.api.every((r) => r.tokens.includes('()'))) {
      parts.length = 0;
      known = false;
    }
    // an API call no model row describes (`new Document({ pageContent })`): its value carries its arguments
    else if (calleeVal.api.length && !rowMatched && parts.length) parts.push(union(argVals()));
    // schema validators (zod)
    const schemaResult = this.schemaCall(callee, calleeVal, args, mod);
    if (schemaResult) return schemaResult;

    // project functions
    for (const f of calleeVal.fns ?? []) {
      known = true;
      const recv = T.isPropertyAccessExpression(callee) ? this.evaluate(callee.expression, mod) : undefined;
      let v = this.substitute(this.returnValue(f), f, args, mod, recv);
      // a small string builder (`hfResolveUrl(repo, file, ref = 'main')`): its text for these arguments
      if (v.text === undefined) {
        const text = this.textWithArgs(f, args, mod);
        if (text !== undefined) v = { ...v, text, alts: undefined };
      }
      parts.push(v);
    }
    if (calleeVal.klass && T.isCallExpression(call)) known = true;

    // prompt templates and chains
    if (T.isPropertyAccessExpression(callee)) {
      const m = callee.name.text;
      const recv = this.evaluate(callee.expression, mod);
      if (recv.tmpl) {
        known = true;
        if (m === 'pipe') parts.push({ labels: [], words: 0, api: [], tmpl: recv.tmpl.map((t) => ({ ...t, piped: true })) });
        else if (m === 'partial') {
          const vars = args[0] ? this.evaluate(args[0], mod) : EMPTY;
          parts.push({ labels: [], words: 0, api: [], tmpl: recv.tmpl.map((t) => ({ ...t, bound: new Map([...t.bound, ...(vars.props ?? [])]) })) });
        } else if (TEMPLATE_BIND.has(m)) {
          // a chain that runs a model returns its output; a bare template returns the formatted prompt
          if (recv.tmpl.some((tp) => tp.piped)) parts.push({ labels: [{ kind: 'llm-output', what: 'chain output', node: call, mod, steps: [] }], words: 0, api: [] });
          else parts.push(this.formatTemplate(recv.tmpl, args[0] ? this.evaluate(args[0], mod) : EMPTY, m));
        }
      } else if (m === 'pipe' && recv.api.length === 0 && !recv.fns && recv.labels.length) {
        parts.push({ labels: recv.labels, words: 0, api: [] });
        known = true;
      }
      // RunnableSequence.from([map, prompt, model, …]) / RunnableMap
      if (m === 'from' && args[0] && T.isArrayLiteralExpression(skipParens(args[0]))) {
        const seq = this.sequence(skipParens(args[0]) as ts.ArrayLiteralExpression, mod);
        if (seq) {
          for (const t of seq.tmpl ?? []) if (t.bound.size) this.checkTemplate(t, EMPTY, call, mod);
          parts.push(seq);
          known = true;
        }
      }
    }
    // receiver-agnostic fallback for sources (e.g. `store.similaritySearch(q)` on an unknown receiver)
    if (!rowMatched && !calleeVal.fns) {
      const chain = calleeChain(callee);
      if (chain.length)
        for (const s of this.registry.suffixSources)
          if (endsWith(chain, s.suffix) && (s.suffix.length >= 2 || chain.length >= 2)) {
            if (s.row.unlessFixedPath !== undefined && args[s.row.unlessFixedPath] && this.isFixedPath(args[s.row.unlessFixedPath], mod)) continue;
            parts.push({ labels: [{ kind: s.row.kind, what: s.row.what ?? describeKind(s.row.kind), origin: s.row.id, node: call, mod, steps: [] }], words: 0, api: [] });
            known = true;
            break;
          }
    }
    if (known) return union(parts);

    // built-ins on plain data
    if (T.isIdentifier(callee)) {
      const n = callee.text;
      if (!resolveName(callee)) {
        if (CLEAN_GLOBAL_CALLS.has(n)) return EMPTY;
        if (n === 'String' || n === 'decodeURIComponent' || n === 'encodeURIComponent' || n === 'structuredClone') return args[0] ? this.stringify(this.evaluate(args[0], mod)) : EMPTY;
      }
      if (calleeVal.paramRef || calleeVal.labels.length) return union(argVals().map(taintOnly));
    }
    if (T.isPropertyAccessExpression(callee)) {
      const m = callee.name.text;
      const objExpr = callee.expression;
      if (T.isIdentifier(objExpr) && !resolveName(objExpr)) {
        const g = objExpr.text;
        if (g === 'Math' || g === 'Date' || g === 'Number' || g === 'crypto') return EMPTY;
        if (g === 'JSON') return args[0] ? this.stringify(this.evaluate(args[0], mod)) : EMPTY;
        if (g === 'Promise' && (m === 'all' || m === 'allSettled' || m === 'race' || m === 'any')) return args[0] ? this.evaluate(args[0], mod) : EMPTY;
        if (g === 'Object' && (m === 'values' || m === 'entries')) {
          const v = args[0] ? this.evaluate(args[0], mod) : EMPTY;
          return { labels: deepLabels(v), words: 0, api: [], elems: v.props ? [...v.props.values()] : undefined };
        }
        if (g === 'Object' && (m === 'assign' || m === 'freeze' || m === 'fromEntries')) return union(argVals());
        if (g === 'Array' && m === 'from') return args[0] ? this.evaluate(args[0], mod) : EMPTY;
      }
      const recv = this.evaluate(objExpr, mod);
      if (BOOLEAN_METHODS.has(m)) {
        // a yes/no derived from a verdict (a confirmation answer tested with a regex) is still that verdict
        const verdicts = [recv, ...argVals()].flatMap((v) => v.verdictOf ?? []);
        return verdicts.length ? { labels: [], words: 0, api: [], verdictOf: [...new Set(verdicts)] } : EMPTY;
      }
      if (m === 'join') {
        const sep = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        const elems = recv.elems ?? [];
        const texts = elems.map((x) => this.stringify(this.textOf(x)));
        const out = concat([...texts, taintOnly(recv)]);
        if (sep.text !== undefined && out.text !== undefined) out.text = elems.map((x) => x.text ?? '').join(sep.text);
        return { ...out, anchor: undefined };
      }
      if (m === 'map' || m === 'flatMap') {
        const cb = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        const rets = (cb.fns ?? []).map((f) => this.returnValue(f));
        const ret = union(rets);
        return { labels: mergeLabels(ret.labels, (cb.fns ?? []).length ? [] : recv.labels), words: 0, api: [], elems: [ret] };
      }
      if (m === 'reduce' || m === 'reduceRight') {
        const cb = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        return union([...(cb.fns ?? []).map((f) => this.returnValue(f)), args[1] ? this.evaluate(args[1], mod) : EMPTY]);
      }
      if (m === 'then') {
        const cb = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        return cb.fns ? union(cb.fns.map((f) => this.returnValue(f))) : recv;
      }
      if (m === 'catch' || m === 'finally') return recv;
      if ((m === 'find' || m === 'filter' || m === 'findLast') && recv.elems && args[0]) {
        const picked = this.pickByPredicate(recv, args[0]);
        if (picked) return m === 'filter' ? { ...recv, elems: picked, elemNodes: undefined, labels: [] } : union(picked);
      }
      if (ELEMENT_METHODS.has(m)) return this.elementOf(recv, call, mod);
      if (SAME_METHODS.has(m)) return m === 'concat' ? union([recv, ...argVals()]) : { ...recv, text: undefined };
      if (m === 'split') return { labels: recv.labels, words: 0, api: [], elems: [taintOnly(recv)] };
      if (m === 'replace' || m === 'replaceAll') {
        const withV = args[1] ? this.evaluate(args[1], mod) : EMPTY;
        const out = concat([recv, taintOnly(withV.fns ? union(withV.fns.map((f) => this.returnValue(f))) : withV)]);
        return { ...out, text: undefined, words: recv.words };
      }
      // any other method on plain data keeps its taint (trim, toLowerCase, toString, slice, json, text …)
      const argsTaint = union(argVals().map(taintOnly));
      const out = concat([{ labels: recv.labels, words: recv.words, api: [], anchor: recv.anchor }, argsTaint]);
      return recv.verdictOf ? { ...out, verdictOf: recv.verdictOf } : out;
    }
    // unknown callee: pass argument taint through
    return union(argVals().map(taintOnly));
  }

  /** `arr.find((m) => m.role === 'system')` over a literal array: only the elements the predicate can accept. */
  private pickByPredicate(recv: Value, cbNode: ts.Expression): Value[] | undefined {
    const cb = skipParens(cbNode);
    if (!(T.isArrowFunction(cb) || T.isFunctionExpression(cb)) || cb.parameters.length < 1) return undefined;
    const pn = cb.parameters[0].name;
    if (!T.isIdentifier(pn)) return undefined;
    const body = returnExpressions(cb)[0];
    if (!body) return undefined;
    const b = skipParens(body);
    if (!T.isBinaryExpression(b) || (b.operatorToken.kind !== T.SyntaxKind.EqualsEqualsEqualsToken && b.operatorToken.kind !== T.SyntaxKind.EqualsEqualsToken)) return undefined;
    const [acc, lit] = T.isStringLiteralLike(skipParens(b.right)) ? [skipParens(b.left), skipParens(b.right)] : [skipParens(b.right), skipParens(b.left)];
    if (!T.isStringLiteralLike(lit) || !T.isPropertyAccessExpression(acc) || !T.isIdentifier(acc.expression) || acc.expression.text !== pn.text) return undefined;
    const prop = acc.name.text;
    const elems = recv.elems ?? [];
    if (!elems.every((e) => e.props?.get(prop)?.text !== undefined)) return undefined;
    return elems.filter((e) => e.props!.get(prop)!.text === lit.text);
  }

  /** The constant text a one-expression string builder returns for these call arguments (or its parameter defaults). */
  private textWithArgs(f: FnRef, args: ts.NodeArray<ts.Expression>, mod: ModuleInfo): string | undefined {
    const rets = returnExpressions(f.node);
    if (rets.length !== 1) return undefined;
    const params = f.node.parameters;
    const bound = new Map<ts.Node, string | undefined>();
    params.forEach((p, i) => {
      if (!T.isIdentifier(p.name)) return;
      const a = args[i];
      bound.set(p.name, a ? this.evaluate(a, mod).text : p.initializer ? this.evaluate(p.initializer, f.mod).text : undefined);
    });
    const text = (e: ts.Expression, depth: number): string | undefined => {
      if (depth > 20) return undefined;
      const x = skipParens(e);
      if (T.isStringLiteralLike(x)) return x.text;
      if (T.isTemplateExpression(x)) {
        let s = x.head.text;
        for (const span of x.templateSpans) {
          const part = text(span.expression, depth + 1);
          if (part === undefined) return undefined;
          s += part + span.literal.text;
        }
        return s;
      }
      if (T.isBinaryExpression(x) && x.operatorToken.kind === T.SyntaxKind.PlusToken) {
        const l = text(x.left, depth + 1);
        const r = l === undefined ? undefined : text(x.right, depth + 1);
        return l === undefined || r === undefined ? undefined : l + r;
      }
      if (T.isIdentifier(x)) {
        const d = resolveName(x);
        if (d && bound.has(d)) return bound.get(d);
      }
      return this.evaluate(x, f.mod).text;
    };
    if (![...bound.values()].some((v) => v !== undefined)) return undefined;
    return text(rets[0], 0);
  }

  private retrieverYield(retr: Value, at: ts.Node, mod: ModuleInfo): Value {
    const concrete = retr.labels.filter((l) => l.kind !== 'param');
    return { labels: mergeLabels(concrete, [{ kind: 'retrieved', what: 'retrieved documents', node: at, mod, steps: [] }]), words: 0, api: [] };
  }

  private formatTemplate(tmpls: readonly Template[], vars: Value, method: string): Value {
    // The formatted prompt: a string (single templates) or messages (chat templates).
    const out: Value[] = [];
    for (const t of tmpls) {
      const bound = new Map(t.bound);
      if (vars.props) for (const [k, v] of vars.props) bound.set(k, v);
      const partVal = (p: TemplatePart): Value => {
        const vs = p.vars.map((n) => bound.get(n) ?? (vars.props ? EMPTY : taintOnly(vars))).map((x) => this.textOf(x));
        const c = concat([{ labels: [], words: 0, api: [] }, ...vs]);
        // reported at the template's text; downstream sinks point there too
        return c.labels.length ? { labels: c.labels, words: 0, api: [], anchor: { node: p.node, mod: p.mod } } : EMPTY;
      };
      if (t.parts.length === 1 && t.parts[0].role === 'single' && method === 'format') out.push(partVal(t.parts[0]));
      else
        out.push({
          labels: [],
          words: 0,
          api: [],
          elems: t.parts.map((p) => {
            const props = new Map<string, Value>([
              ['role', { labels: [], words: 0, api: [], text: p.role === 'human' || p.role === 'single' ? 'user' : p.role === 'ai' ? 'assistant' : p.role }],
              ['content', partVal(p)],
            ]);
            return { labels: [], words: 0, api: [], props, propNodes: new Map([['content', p.node]]) } as Value;
          }),
        });
    }
    return union(out);
  }

  private sequence(arr: ts.ArrayLiteralExpression, mod: ModuleInfo): Value | undefined {
    const steps = arr.elements.map((e) => this.evaluate(e, mod));
    const ti = steps.findIndex((s) => s.tmpl);
    if (ti < 0) return undefined;
    const bound = new Map<string, Value>();
    for (let i = 0; i < ti; i++) {
      let s = steps[i];
      // RunnablePassthrough.assign({…}) / RunnableParallel.from({…}) / RunnableLambda.from(fn) / a plain function step
      const node = skipParens(arr.elements[i]);
      if (!s.props && !s.fns && T.isCallExpression(node) && node.arguments[0]) s = this.evaluate(node.arguments[0], mod);
      if (!s.props && s.fns) s = union(s.fns.map((f) => this.returnValue(f)));
      if (s.props)
        for (const [k, v0] of s.props) {
          const v = v0.fns ? union([v0, ...v0.fns.map((f) => this.returnValue(f))]) : v0;
          if (v.passthrough) continue;
          if (v.labels.length) bound.set(k, v);
        }
    }
    return { labels: [], words: 0, api: [], tmpl: steps[ti].tmpl!.map((t) => ({ ...t, bound: new Map([...t.bound, ...bound]), piped: true })) };
  }

  private schemaCall(callee: ts.Expression, calleeVal: Value, args: ts.NodeArray<ts.Expression>, mod: ModuleInfo): Value | undefined {
    // openai/helpers/zod: zodResponseFormat(Schema, name) / zodTextFormat(Schema, name) carry the schema
    if (T.isIdentifier(callee) && /^zod(Response|Text)Format$/.test(callee.text) && args[0]) {
      const s = this.evaluate(args[0], mod).schema;
      if (s) return { labels: [], words: 0, api: [], schema: s };
    }
    if (!T.isPropertyAccessExpression(callee)) return undefined;
    const m = callee.name.text;
    const recvExpr = callee.expression;
    const vocab = this.zodRoots.map((z) => z.file.validators!).find(Boolean);
    if (!vocab) return undefined;
    const recv = this.evaluate(recvExpr, mod);
    const isRoot = recv.api.some((r) => this.zodRoots.some((z) => z.id === r.model) && (r.tokens.length === 0 || (r.tokens.length === 1 && (r.tokens[0] === 'z' || r.tokens[0] === 'default'))));
    if (isRoot) {
      let s: Schema | undefined;
      if (vocab.safe?.includes(m)) s = { kind: 'safe' };
      else if (vocab.unsafe?.includes(m)) s = { kind: 'unsafe' };
      else if (vocab.object?.includes(m)) {
        const props = new Map<string, Schema>();
        const obj = args[0] ? this.evaluate(args[0], mod) : EMPTY;
        for (const [k, v] of obj.props ?? []) props.set(k, v.schema ?? { kind: 'unsafe' });
        s = { kind: 'object', props };
      } else if (vocab.array?.includes(m)) s = { kind: 'array', elem: (args[0] ? this.evaluate(args[0], mod).schema : undefined) ?? { kind: 'unsafe' } };
      else if (vocab.union?.includes(m)) {
        const alts = args[0] ? this.evaluate(args[0], mod).elems ?? [] : [];
        s = alts.length && alts.every((a) => a.schema?.kind === 'safe') ? { kind: 'safe' } : { kind: 'unsafe' };
      } else if (m === 'coerce') return { ...calleeVal, api: recv.api };
      if (s) return { labels: [], words: 0, api: [], schema: s };
      return undefined;
    }
    if (!recv.schema) {
      // z.coerce.number()
      if (recv.api.some((r) => this.zodRoots.some((z) => z.id === r.model) && r.tokens[r.tokens.length - 1] === 'coerce') && vocab.safe?.includes(m))
        return { labels: [], words: 0, api: [], schema: { kind: 'safe' } };
      return undefined;
    }
    const s = recv.schema;
    if (vocab.parse?.includes(m)) return args[0] ? this.applySchema(s, this.evaluate(args[0], mod), args[0], mod) : EMPTY;
    if (vocab.safeParse?.includes(m)) {
      const data = args[0] ? this.applySchema(s, this.evaluate(args[0], mod), args[0], mod) : EMPTY;
      return { labels: [], words: 0, api: [], props: new Map([['data', data]]) };
    }
    if (vocab.regex?.includes(m)) {
      const re = args[0] ? skipParens(args[0]) : undefined;
      const tight = re && T.isRegularExpressionLiteral(re) && isTightRegex(re.text);
      return { labels: [], words: 0, api: [], schema: tight ? { kind: 'safe' } : s };
    }
    if (vocab.safe?.includes(m) && s.kind === 'unsafe' && ['uuid', 'cuid', 'cuid2', 'ulid', 'datetime', 'date', 'time', 'ip', 'ipv4', 'ipv6', 'int', 'positive', 'nonnegative'].includes(m))
      return { labels: [], words: 0, api: [], schema: { kind: 'safe' } };
    if (vocab.safe?.includes(m) && s.kind === 'safe') return { labels: [], words: 0, api: [], schema: s }; // z.number().int()
    if (vocab.object?.includes(m) || m === 'extend' || m === 'merge') {
      if (s.kind === 'object' && args[0]) {
        const ext = this.evaluate(args[0], mod);
        const props = new Map(s.props);
        for (const [k, v] of ext.props ?? []) props.set(k, v.schema ?? { kind: 'unsafe' });
        for (const [k, v] of ext.schema?.kind === 'object' ? ext.schema.props : []) props.set(k, v);
        return { labels: [], words: 0, api: [], schema: { kind: 'object', props } };
      }
    }
    if (m === 'pick' || m === 'omit' || vocab.inherit?.includes(m)) return { labels: [], words: 0, api: [], schema: s };
    // refine/transform/anything else: no longer known to be safe
    return { labels: [], words: 0, api: [], schema: s.kind === 'safe' ? { kind: 'unsafe' } : s };
  }

  private applySchema(s: Schema, v: Value, at: ts.Node, mod: ModuleInfo): Value {
    switch (s.kind) {
      case 'safe':
        return EMPTY;
      case 'unsafe':
        return v;
      case 'array':
        return { labels: [], words: 0, api: [], elems: [this.applySchema(s.elem, this.elementOf(v, at, mod), at, mod)] };
      case 'object': {
        const props = new Map<string, Value>();
        for (const [k, ps] of s.props) props.set(k, this.applySchema(ps, this.member(v, k, at, mod), at, mod));
        return { labels: [], words: 0, api: [], props };
      }
    }
  }

  // ── function summaries

  returnValue(f: FnRef): Value {
    return this.memoized(this.returnValues, f.node, () => {
      if ((f.node as ts.FunctionLikeDeclaration).asteriskToken) {
        // a generator: what it yields is what iterating its result gives
        const ys = yieldExpressions(f.node).map((y) => this.evaluate(y, f.mod));
        return { labels: [], words: 0, api: [], elems: [union(ys)] };
      }
      return union(
        returnExpressions(f.node).map((r) => {
          const v = this.evaluate(r, f.mod);
          if (!v.labels.length) return v;
          // a helper that returns a contained path or an allowlisted URL (and throws otherwise) sanitizes it for that use
          const safe: string[] = [];
          if (this.isGuarded(r, f.mod, 'file-write')) safe.push('file-write', 'file-read');
          if (this.isGuarded(r, f.mod, 'network')) safe.push('network');
          return safe.length ? { ...v, labels: v.labels.map((l) => ({ ...l, safeFor: [...(l.safeFor ?? []), ...safe] })) } : v;
        }),
      );
    });
  }

  private substitute(v: Value, f: FnRef, args: ts.NodeArray<ts.Expression>, mod: ModuleInfo, recv: Value | undefined, depth = 0): Value {
    if (depth > 4) return v;
    const ctor = recv?.cls?.[0] ? recv.cls[0].node.members.find(T.isConstructorDeclaration) : undefined;
    const needs = (l: Label) => l.kind === 'param' && (l.fn === f.node || (ctor && l.fn === ctor));
    const hasParam = (x: Value, d: number): boolean =>
      d < 5 &&
      (x.labels.some(needs) ||
        !!x.paramRef ||
        [...(x.props?.values() ?? [])].some((p) => hasParam(p, d + 1)) ||
        (x.elems ?? []).some((p) => hasParam(p, d + 1)));
    if (!hasParam(v, 0)) return v;
    const argValue = (l: Label): Value | undefined => {
      if (l.fn === f.node) {
        const a = args[l.index!];
        if (!a) return undefined;
        return this.evaluate(a, mod);
      }
      const ca = recv?.cls?.[0]?.ctorArgs?.[l.index!];
      return ca;
    };
    const labels: Label[] = [];
    for (const l of v.labels) {
      if (!needs(l)) {
        labels.push(l);
        continue;
      }
      const av = argValue(l);
      if (!av) continue;
      const text = deepLabels(av);
      const argNode = l.fn === f.node ? args[l.index!] : undefined;
      const step: Step = { node: argNode ?? l.node, mod: argNode ? mod : l.mod, message: 'passed to a function here' };
      for (const al of text)
        labels.push({ ...al, safeFor: l.safeFor ? [...(al.safeFor ?? []), ...l.safeFor] : al.safeFor, steps: [...al.steps, step, { node: l.node, mod: l.mod, message: 'parameter' }, ...l.steps] });
    }
    const out: Value = { ...v, labels: mergeLabels(labels) };
    if (v.paramRef && (v.paramRef.fn === f.node || v.paramRef.fn === ctor)) {
      const av = argValue({ kind: 'param', fn: v.paramRef.fn, index: v.paramRef.index } as Label);
      delete out.paramRef;
      if (av) return union([out, { ...av, labels: [] }]);
    }
    if (v.props) {
      out.props = new Map([...v.props].map(([k, p]) => [k, this.substitute(p, f, args, mod, recv, depth + 1)]));
    }
    if (v.elems) out.elems = v.elems.map((p) => this.substitute(p, f, args, mod, recv, depth + 1));
    return out;
  }

  // ── guards

  /** Is the value at `use` known to be allowlisted / validated at this point? */
  private isGuarded(use: ts.Expression, mod: ModuleInfo, cap?: Capability): boolean {
    const key = this.keyOf(use, mod);
    if (!key) return false;
    const saved = this.guardCap;
    this.guardCap = cap;
    try {
      return this.isGuardedKey(use, key, mod);
    } finally {
      this.guardCap = saved;
    }
  }

  /** The capability a dangerous sink needs, while its guards are checked (containment counts only for files). */
  private guardCap: Capability | undefined;

  private isGuardedKey(use: ts.Expression, key: string, mod: ModuleInfo): boolean {
    const root = rootIdentifier(use);
    const name = root?.text;
    // a parameter or let/const declared inside `child` is out of scope for everything outside it: no
    // guard about it can be written there (confirmations, which guard without naming the value, aside)
    const scoped = this.guardCap ? undefined : lexicalDecl(root);
    let child: ts.Node = use;
    for (let p = use.parent; p; child = p, p = p.parent) {
      if (scoped && scoped.pos >= child.pos && scoped.end <= child.end && child !== use) return false;
      if (T.isIfStatement(p)) {
        if (child === p.thenStatement && this.condAllows(p.expression, key, true, mod)) return true;
        if (child === p.elseStatement && this.condAllows(p.expression, key, false, mod)) return true;
      } else if (T.isConditionalExpression(p)) {
        if (child === p.whenTrue && this.condAllows(p.condition, key, true, mod)) return true;
        if (child === p.whenFalse && this.condAllows(p.condition, key, false, mod)) return true;
      } else if (T.isBinaryExpression(p) && child === p.right) {
        if (p.operatorToken.kind === T.SyntaxKind.AmpersandAmpersandToken && this.condAllows(p.left, key, true, mod)) return true;
        if (p.operatorToken.kind === T.SyntaxKind.BarBarToken && this.condAllows(p.left, key, false, mod)) return true;
      } else if (T.isCaseClause(p)) {
        const sw = p.parent.parent;
        if (T.isSwitchStatement(sw) && this.keyOf(sw.expression, mod) === key && T.isStringLiteralLike(skipParens(p.expression))) return true;
      }
      if (T.isBlock(p) || T.isSourceFile(p) || T.isCaseClause(p) || T.isDefaultClause(p) || T.isModuleBlock(p)) {
        const stmts = p.statements;
        const idx = stmts.indexOf(child as ts.Statement);
        for (let i = 0; i < idx; i++) {
          const st = stmts[i];
          // an assertion call names the value it checks: skip statements whose text does not mention it
          if (name && (T.isExpressionStatement(st) || T.isVariableStatement(st)) && !mentions(mod, name, st)) continue;
          if (this.statementGuards(st, key, mod)) return true;
        }
      }
    }
    return false;
  }

  private statementGuards(s: ts.Statement, key: string, mod: ModuleInfo): boolean {
    if (T.isTryStatement(s)) {
      // `try { assertX(v) } catch { return … }`: the guard holds after the try when the catch exits
      const catchExits = !s.catchClause || exits(s.catchClause.block);
      return catchExits && s.tryBlock.statements.some((st) => this.statementGuards(st, key, mod));
    }
    if (T.isIfStatement(s)) {
      const exitsThen = exits(s.thenStatement);
      if (exitsThen && this.condAllows(s.expression, key, false, mod)) return true;
      if (exitsThen && this.condHasVerdict(s.expression, key, mod)) return true;
      if (!exitsThen && !s.elseStatement && this.condAllows(s.expression, key, false, mod) && this.assignsConstant(s.thenStatement, key, mod)) return true;
      return false;
    }
    if (T.isExpressionStatement(s)) {
      let e = skipParens(s.expression);
      if (T.isAwaitExpression(e)) e = skipParens(e.expression);
      if (T.isCallExpression(e)) return this.callAsserts(e, key, mod);
    }
    if (T.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        let e = d.initializer ? skipParens(d.initializer) : undefined;
        if (e && T.isAwaitExpression(e)) e = skipParens(e.expression);
        if (e && T.isCallExpression(e) && this.callAsserts(e, key, mod)) return true;
      }
    }
    return false;
  }

  private callAsserts(call: ts.CallExpression, key: string, mod: ModuleInfo): boolean {
    const fv = this.evaluate(skipParens(call.expression), mod);
    if (this.validatorRow(fv, 'asserts', call.arguments, key, mod)) return true;
    for (const f of fv.fns ?? []) {
      const fn = f.node;
      for (let i = 0; i < call.arguments.length && i < fn.parameters.length; i++) {
        if (this.keyOf(call.arguments[i], mod) !== key) continue;
        const pn = fn.parameters[i].name;
        if (!T.isIdentifier(pn)) continue;
        const pkey = this.keyOf(pn, f.mod, pn);
        if (!pkey) continue;
        const body = (fn as ts.FunctionLikeDeclaration).body;
        if (!body || !T.isBlock(body)) continue;
        if (body.statements.some((st) => T.isIfStatement(st) && exits(st.thenStatement, true) && this.condAllows(st.expression, pkey, false, f.mod))) return true;
      }
    }
    return false;
  }

  /** A modelled validator (a pack's `asserts` / `predicate` sanitizer row) called on the value with `key`. */
  private validatorRow(fv: Value, mode: 'asserts' | 'predicate', args: readonly ts.Expression[], key: string, mod: ModuleInfo): boolean {
    for (const ref of fv.api) {
      const model = this.registry.models.get(ref.model);
      for (const row of model?.sanitizers ?? []) {
        if (row.mode !== mode || !row.paths.some((pp) => pathMatches(pp, ref.tokens))) continue;
        const a = args[row.arg ?? 0];
        if (a && this.keyOf(a, mod) === key) return true;
      }
    }
    return false;
  }

  private assignsConstant(s: ts.Statement, key: string, mod: ModuleInfo): boolean {
    const stmts = T.isBlock(s) ? s.statements : [s];
    return stmts.some((st) => {
      if (!T.isExpressionStatement(st)) return false;
      const e = skipParens(st.expression);
      return T.isBinaryExpression(e) && e.operatorToken.kind === T.SyntaxKind.EqualsToken && this.keyOf(e.left, mod) === key && this.evaluate(e.right, mod).labels.length === 0;
    });
  }

  /** Does `cond` being `truthy` imply that the value with `key` is in a constant allowlist? */
  private condAllows(cond: ts.Expression, key: string, truthy: boolean, mod: ModuleInfo, depth = 0): boolean {
    if (depth > 6) return false;
    const c = skipParens(cond);
    if (T.isPrefixUnaryExpression(c) && c.operator === T.SyntaxKind.ExclamationToken) return this.condAllows(c.operand, key, !truthy, mod, depth + 1);
    if (T.isAwaitExpression(c)) return this.condAllows(c.expression, key, truthy, mod, depth + 1);
    if (T.isBinaryExpression(c)) {
      const op = c.operatorToken.kind;
      if (op === T.SyntaxKind.AmpersandAmpersandToken)
        return truthy
          ? this.condAllows(c.left, key, true, mod, depth + 1) || this.condAllows(c.right, key, true, mod, depth + 1)
          : this.condAllows(c.left, key, false, mod, depth + 1) && this.condAllows(c.right, key, false, mod, depth + 1);
      if (op === T.SyntaxKind.BarBarToken)
        return truthy
          ? this.condAllows(c.left, key, true, mod, depth + 1) && this.condAllows(c.right, key, true, mod, depth + 1)
          : this.condAllows(c.left, key, false, mod, depth + 1) || this.condAllows(c.right, key, false, mod, depth + 1);
      const eq = op === T.SyntaxKind.EqualsEqualsEqualsToken || op === T.SyntaxKind.EqualsEqualsToken;
      const ne = op === T.SyntaxKind.ExclamationEqualsEqualsToken || op === T.SyntaxKind.ExclamationEqualsToken;
      if ((eq && truthy) || (ne && !truthy)) {
        // equal to a literal, or to a value that carries no outside text (`target === base`)
        const fixed = (x: ts.Expression) => T.isStringLiteralLike(skipParens(x)) || T.isNumericLiteral(skipParens(x)) || (T.isIdentifier(skipParens(x)) && this.isConstant(x, mod));
        if (fixed(c.right) && this.keyOf(c.left, mod) === key) return true;
        if (fixed(c.left) && this.keyOf(c.right, mod) === key) return true;
      }
      if (op === T.SyntaxKind.InKeyword && truthy && this.keyOf(c.left, mod) === key) return this.isConstant(c.right, mod);
      // ALLOWED.indexOf(x) !== -1 / >= 0 / > -1 (and the negations)
      // `url.hostname === 'api.example.com'`
      if ((eq && truthy) || (ne && !truthy)) {
        const lit = (x: ts.Expression) => T.isStringLiteralLike(skipParens(x));
        if ((lit(c.right) && this.hostKeysOf(c.left, mod).includes(key)) || (lit(c.left) && this.hostKeysOf(c.right, mod).includes(key))) return true;
      }
      const idx = (x: ts.Expression) => {
        const e = skipParens(x);
        return T.isCallExpression(e) && T.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'indexOf' && e.arguments[0] && this.keyOf(e.arguments[0], mod) === key && this.isConstant(e.expression.expression, mod);
      };
      const num = (x: ts.Expression): number | undefined => {
        const e = skipParens(x);
        if (T.isNumericLiteral(e)) return Number(e.text);
        if (T.isPrefixUnaryExpression(e) && e.operator === T.SyntaxKind.MinusToken && T.isNumericLiteral(e.operand)) return -Number(e.operand.text);
        return undefined;
      };
      if (idx(c.left) && num(c.right) !== undefined) {
        const n = num(c.right)!;
        const found =
          (ne && n === -1) ||
          (op === T.SyntaxKind.GreaterThanEqualsToken && n === 0) ||
          (op === T.SyntaxKind.GreaterThanToken && n === -1);
        const missing = (eq && n === -1) || (op === T.SyntaxKind.LessThanToken && n === 0);
        return truthy ? found : missing;
      }
      return false;
    }
    if (T.isCallExpression(c) && !truthy && (this.guardCap === 'file-write' || this.guardCap === 'file-read')) {
      // `const rel = path.relative(ROOT, p); if (rel.startsWith('..') || path.isAbsolute(rel)) throw`
      const callee = skipParens(c.expression);
      if (T.isPropertyAccessExpression(callee) && callee.name.text === 'startsWith' && c.arguments[0] && T.isStringLiteralLike(c.arguments[0]) && c.arguments[0].text === '..') {
        const target = this.relativeTarget(callee.expression, mod);
        if (target && this.keyOf(target, mod) === key) return true;
      }
    }
    if (T.isCallExpression(c) && truthy) {
      const callee = skipParens(c.expression);
      const args = c.arguments;
      if (T.isPropertyAccessExpression(callee)) {
        const m = callee.name.text;
        const recv = callee.expression;
        if ((m === 'includes' || m === 'has' || m === 'hasOwnProperty') && args[0] && this.keyOf(args[0], mod) === key) {
          if (m === 'includes' && T.isPropertyAccessExpression(recv) === false && this.isTaintedText(recv, mod)) return false;
          return this.isConstant(recv, mod);
        }
        if (m === 'hasOwn' && args[1] && this.keyOf(args[1], mod) === key) return this.isConstant(args[0], mod);
        // path containment: `resolved.startsWith(ROOT + path.sep)` on a path.resolve()d value (files only)
        if (m === 'startsWith' && args[0] && (this.guardCap === 'file-write' || this.guardCap === 'file-read') && this.keyOf(recv, mod) === key && this.isResolvedPath(recv, mod) && this.isConstant(args[0], mod))
          return true;
        // a hostname allowlist on a parsed URL: `ALLOWED.has(new URL(u).hostname)` / `u.hostname`
        if ((m === 'includes' || m === 'has') && args[0] && this.hostKeysOf(args[0], mod).includes(key)) return this.isConstant(recv, mod);
        if (m === 'call' && T.isPropertyAccessExpression(recv) && recv.name.text === 'hasOwnProperty' && args[1] && this.keyOf(args[1], mod) === key) return this.isConstant(args[0], mod);
        if (m === 'test' && args[0] && this.keyOf(args[0], mod) === key) {
          const re = skipParens(recv);
          return T.isRegularExpressionLiteral(re) && isTightRegex(re.text);
        }
      }
      // a validator function returning an allowlist check on its parameter
      const fv = this.evaluate(callee, mod);
      if (this.validatorRow(fv, 'predicate', args, key, mod)) return true;
      for (const f of fv.fns ?? []) {
        for (let i = 0; i < args.length && i < f.node.parameters.length; i++) {
          if (this.keyOf(args[i], mod) !== key) continue;
          const pn = f.node.parameters[i].name;
          if (!T.isIdentifier(pn)) continue;
          const pkey = this.keyOf(pn, f.mod, pn);
          if (pkey && returnExpressions(f.node).some((r) => this.condAllows(r, pkey, true, f.mod, depth + 1))) return true;
        }
      }
    }
    return false;
  }

  /** `path.resolve(…)`, `path.join(…)`, `path.normalize(…)`, `realpath(…)` (directly or through a const). */
  private isResolvedPath(e: ts.Expression, mod: ModuleInfo): boolean {
    let x = skipParens(e);
    if (T.isIdentifier(x)) {
      const d = resolveName(x);
      if (!d || !T.isVariableDeclaration(d.parent) || !d.parent.initializer) return false;
      x = skipParens(d.parent.initializer);
      if (T.isAwaitExpression(x)) x = skipParens(x.expression);
    }
    if (!T.isCallExpression(x)) return false;
    const callee = skipParens(x.expression);
    const name = T.isPropertyAccessExpression(callee) ? callee.name.text : T.isIdentifier(callee) ? callee.text : '';
    void mod;
    return /^(resolve|join|normalize|realpath|realpathSync)$/.test(name);
  }

  /** For `rel` declared as `path.relative(ROOT, target)`, the `target` expression. */
  private relativeTarget(e: ts.Expression, _mod: ModuleInfo): ts.Expression | undefined {
    const x = skipParens(e);
    if (!T.isIdentifier(x)) return undefined;
    const d = resolveName(x);
    if (!d || !T.isVariableDeclaration(d.parent) || !d.parent.initializer) return undefined;
    const init = skipParens(d.parent.initializer);
    if (!T.isCallExpression(init) || !T.isPropertyAccessExpression(init.expression) || init.expression.name.text !== 'relative') return undefined;
    return init.arguments[1];
  }

  /** The key of the URL whose host `e` reads: `u.hostname` (u = new URL(x) → x), `new URL(x).hostname`. */
  private hostKeysOf(e: ts.Expression, mod: ModuleInfo): string[] {
    const x = skipParens(e);
    if (!T.isPropertyAccessExpression(x) || !/^(hostname|host|origin)$/.test(x.name.text)) return [];
    const base = skipParens(x.expression);
    const urlArg = (n: ts.Expression): ts.Expression | undefined => {
      const y = skipParens(n);
      return T.isNewExpression(y) && T.isIdentifier(y.expression) && y.expression.text === 'URL' && y.arguments?.[0] ? y.arguments[0] : undefined;
    };
    const out: string[] = [];
    const direct = urlArg(base);
    if (direct) {
      const k = this.keyOf(direct, mod);
      if (k) out.push(k);
    }
    if (T.isIdentifier(base)) {
      const own = this.keyOf(base, mod);
      if (own) out.push(own);
      const d = resolveName(base);
      const init = d && T.isVariableDeclaration(d.parent) ? d.parent.initializer : undefined;
      const inner = init ? urlArg(init) : undefined;
      const k = inner ? this.keyOf(inner, mod) : undefined;
      if (k) out.push(k);
    }
    return out;
  }

  private condHasVerdict(cond: ts.Expression, key: string, mod: ModuleInfo): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (T.isIdentifier(n) || T.isPropertyAccessExpression(n) || T.isElementAccessExpression(n) || T.isCallExpression(n)) {
        const v = this.evaluate(n, mod);
        // an interactive confirmation ('*') gates dangerous operations, it does not clean text
        if (v.verdictOf?.includes(key) || (this.guardCap && v.verdictOf?.includes('*'))) {
          found = true;
          return;
        }
      }
      T.forEachChild(n, visit);
    };
    visit(cond);
    return found;
  }

  /** Carries no outside text (a helper's own parameters count as fixed here: callers decide them). */
  private isConstant(e: ts.Expression, mod: ModuleInfo): boolean {
    const v = this.evaluate(e, mod);
    return deepLabels(v).every((l) => l.kind === 'param');
  }

  private isTaintedText(e: ts.Expression, mod: ModuleInfo): boolean {
    return this.evaluate(e, mod).labels.length > 0;
  }

  /** A stable key for a reference (`x`, `req.body.tone`, `this.x`), comparable across uses. */
  keyOf(e: ts.Node, mod: ModuleInfo, declHint?: ts.Identifier): string | undefined {
    const x = T.isExpression(e) ? skipParens(e) : e;
    if (T.isIdentifier(x)) {
      const d = declHint ?? resolveName(x);
      return d ? `${mod.rel}#${d.pos}` : `g#${x.text}`;
    }
    if (T.isPropertyAccessExpression(x) || T.isElementAccessExpression(x)) {
      const name = memberName(x);
      if (name === undefined) return undefined;
      const base = x.expression.kind === T.SyntaxKind.ThisKeyword ? `this@${enclosingClass(x)?.pos ?? 0}` : this.keyOf(x.expression, mod);
      return base ? `${base}.${name}` : undefined;
    }
    return undefined;
  }

  private keysOf(e: ts.Node, mod: ModuleInfo): string[] {
    const out: string[] = [];
    const visit = (n: ts.Node): void => {
      const k = this.keyOf(n, mod);
      if (k) {
        out.push(k);
        // also the variable a value came from: `const input = req.body.message` judged as `input`
        return;
      }
      T.forEachChild(n, visit);
    };
    visit(e);
    return out;
  }

  private isFixedPath(e: ts.Expression, mod: ModuleInfo): boolean {
    const v = this.evaluate(e, mod);
    if (v.labels.length) return false;
    if (v.text !== undefined) return true;
    const x = skipParens(e);
    // path.join(__dirname, 'prompts', 'system.md'), new URL('./x', import.meta.url), import.meta.dirname
    let fixed = true;
    let sawAnything = false;
    const visit = (n: ts.Node): void => {
      if (!fixed) return;
      if (T.isStringLiteralLike(n)) {
        sawAnything = true;
        return;
      }
      if (T.isIdentifier(n) && FIXED_PATH_GLOBALS.has(n.text)) {
        sawAnything = true;
        return;
      }
      if (T.isMetaProperty(n)) {
        sawAnything = true;
        return;
      }
      if (T.isPropertyAccessExpression(n)) {
        visit(n.expression);
        return;
      }
      if (T.isCallExpression(n) || T.isNewExpression(n)) {
        const callee = skipParens(n.expression);
        if (T.isPropertyAccessExpression(callee)) visit(callee.expression);
        for (const a of n.arguments ?? []) visit(a);
        return;
      }
      if (T.isIdentifier(n)) {
        const pv = this.evaluate(n, mod);
        if (pv.text !== undefined || pv.api.length) return; // constants and module objects (path, fs)
        const d = resolveName(n);
        if (d && mod.imports.has(d)) return; // a module object (`path`, `url`)
        if (!d && (n.text === 'process' || n.text === 'path')) return;
        if (d && T.isVariableDeclaration(d.parent) && d.parent.initializer && this.isFixedPath(d.parent.initializer, mod)) return;
        fixed = false;
        return;
      }
      T.forEachChild(n, visit);
    };
    visit(x);
    return fixed && sawAnything;
  }
}

// ───────────────────────────── helpers ─────────────────────────────

export function describeKind(kind: SourceKind | 'param'): string {
  switch (kind) {
    case 'untrusted':
      return 'untrusted input';
    case 'retrieved':
      return 'retrieved content';
    case 'llm-output':
      return 'model output';
    default:
      return 'a parameter';
  }
}

function calleeText(callee: ts.Expression, mod: ModuleInfo): string {
  const t = callee.getText(mod.sf).replace(/\s+/g, '').replace(/\?\./g, '.');
  return t.length > 60 ? '…' + t.slice(-59) : t;
}

function normRole(role: string | undefined): TemplatePart['role'] {
  switch (role) {
    case 'system':
    case 'developer':
      return 'system';
    case 'ai':
    case 'assistant':
      return 'ai';
    case 'placeholder':
      return 'placeholder';
    default:
      return 'human';
  }
}

function argMatches(spec: number | 'last' | 'any' | undefined, i: number, n: number): boolean {
  if (spec === undefined || spec === 'any') return true;
  if (spec === 'last') return i === n - 1;
  return spec === i;
}

function propName(n: ts.PropertyName | ts.BindingName): string | undefined {
  if (T.isIdentifier(n) || T.isStringLiteralLike(n) || T.isNumericLiteral(n) || T.isPrivateIdentifier(n)) return n.text;
  if (T.isComputedPropertyName(n) && T.isStringLiteralLike(n.expression)) return n.expression.text;
  return undefined;
}

export function getField(v: Value, path: string): Value | undefined {
  let cur: Value | undefined = v;
  for (const seg of path.split('.')) {
    if (!cur?.props) return undefined;
    cur = cur.props.get(seg);
  }
  return cur;
}

/** The syntax node of `field` (a dotted path) inside an object-literal argument, if written inline. */
export function fieldNode(arg: ts.Node | undefined, path: string, val?: Value): ts.Node | undefined {
  if (!arg) return undefined;
  let cur: ts.Node | undefined = T.isExpression(arg) ? skipParens(arg) : arg;
  const segs = path.split('.');
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (!cur || !T.isObjectLiteralExpression(cur)) {
      // fall back to where the value's member was written (a config object declared above)
      let v = val;
      for (let j = 0; j < i && v; j++) v = v.props?.get(segs[j]);
      return v?.propNodes?.get(segs.slice(i).join('.')) ?? (i === segs.length - 1 ? v?.propNodes?.get(seg) : undefined);
    }
    const prop: ts.ObjectLiteralElementLike | undefined = cur.properties.find((p) => p.name && propName(p.name) === seg);
    if (!prop) {
      let v = val;
      for (let j = 0; j < i && v; j++) v = v.props?.get(segs[j]);
      return v?.propNodes?.get(seg);
    }
    cur = T.isPropertyAssignment(prop) ? skipParens(prop.initializer) : T.isShorthandPropertyAssignment(prop) ? prop.name : prop;
  }
  return cur;
}

/** The return expressions of each function (a function's nodes never change once parsed). */
const RETURNS = new WeakMap<ts.Node, ts.Expression[]>();

export function returnExpressions(fn: ts.SignatureDeclaration): ts.Expression[] {
  let out = RETURNS.get(fn);
  if (!out) RETURNS.set(fn, (out = collectReturns(fn)));
  return out;
}

function collectReturns(fn: ts.SignatureDeclaration): ts.Expression[] {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return [];
  if (!T.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionScope(n) || T.isClassLike(n)) return;
    if (T.isReturnStatement(n) && n.expression) out.push(n.expression);
    T.forEachChild(n, visit);
  };
  T.forEachChild(body, visit);
  return out;
}

function yieldExpressions(fn: ts.SignatureDeclaration): ts.Expression[] {
  const body = (fn as ts.FunctionLikeDeclaration).body;
  if (!body) return [];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionScope(n) || T.isClassLike(n)) return;
    if (T.isYieldExpression(n) && n.expression) out.push(n.expression);
    T.forEachChild(n, visit);
  };
  T.forEachChild(body, visit);
  return out;
}

function exits(s: ts.Statement, throwOnly = false): boolean {
  const stmts = T.isBlock(s) ? s.statements : [s];
  return stmts.some((st) => {
    if (T.isThrowStatement(st)) return true;
    if (throwOnly) return false;
    if (T.isReturnStatement(st) || T.isContinueStatement(st) || T.isBreakStatement(st)) return true;
    if (T.isExpressionStatement(st)) {
      const e = skipParens(st.expression);
      if (T.isCallExpression(e) && T.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'exit') return true;
    }
    return false;
  });
}

function within(n: ts.Node, outer: ts.Node): boolean {
  return n.getSourceFile() === outer.getSourceFile() && n.pos >= outer.pos && n.end <= outer.end;
}

function calleeChain(e: ts.Expression): string[] {
  const out: string[] = [];
  let cur: ts.Expression = e;
  for (;;) {
    cur = skipParens(cur);
    if (T.isPropertyAccessExpression(cur)) {
      out.unshift(cur.name.text);
      cur = cur.expression;
    } else if (T.isIdentifier(cur)) {
      out.unshift(cur.text);
      return out;
    } else if (T.isCallExpression(cur)) {
      cur = cur.expression;
    } else if (cur.kind === T.SyntaxKind.ThisKeyword) {
      return out;
    } else return out;
  }
}

function endsWith(chain: string[], suffix: string[]): boolean {
  if (suffix.length > chain.length) return false;
  for (let i = 1; i <= suffix.length; i++) {
    const want = suffix[suffix.length - i];
    const got = chain[chain.length - i];
    if (want === got) continue;
    // `*Retriever` also matches `retriever`, `kbRetriever`, `docsRetriever`
    if (want.startsWith('*') && got.toLowerCase().endsWith(want.slice(1).toLowerCase())) continue;
    return false;
  }
  return true;
}

export function isCommitSha(s: string): boolean {
  // git's null object id is a placeholder, never a commit
  return /^[0-9a-f]{40}$/i.test(s) && !/^0{40}$/.test(s);
}

const BRANCH_NAMES = new Set(['main', 'master', 'dev', 'develop', 'development', 'trunk', 'head', 'latest', 'nightly', 'canary', 'next', 'staging']);

/** An explicit release tag rather than a branch or a short sha (for a policy that accepts tags). */
function isTagLike(s: string): boolean {
  return s.length > 0 && !BRANCH_NAMES.has(s.toLowerCase()) && !/^refs\/(heads|pr)\//.test(s) && !/^[0-9a-f]{7,39}$/i.test(s);
}

function isLocalPath(s: string): boolean {
  return s.startsWith('./') || s.startsWith('../') || s.startsWith('/') || s.startsWith('file:') || /^[A-Za-z]:[\\/]/.test(s) || s.startsWith('\u0000fixed-path');
}

/** `https://api.example.com/…` — the request's host is fixed by the constant prefix. */
function isFixedOrigin(prefix: string | undefined): boolean {
  return !!prefix && /^https?:\/\/[^/?#@]+[/?#]/.test(prefix);
}

/** `handlers[call.name](args)`, or `const handler = handlers[call.function.name]; handler(args)`. */
function isNameDispatch(call: CallLike): boolean {
  let callee = skipParens(call.expression);
  if (T.isIdentifier(callee)) {
    const d = resolveName(callee);
    const init = d && T.isVariableDeclaration(d.parent) ? d.parent.initializer : undefined;
    if (!init) return false;
    callee = skipParens(init);
  }
  if (T.isPropertyAccessExpression(callee) && /^(call|apply)$/.test(callee.name.text)) callee = skipParens(callee.expression);
  return T.isElementAccessExpression(callee) && !T.isStringLiteralLike(skipParens(callee.argumentExpression)) && !T.isNumericLiteral(skipParens(callee.argumentExpression));
}

/** `useState(x)` / `React.useState(x)` / `useReducer` … a state hook whose first element is set by the second. */
function isStateHook(e: ts.Expression): boolean {
  const x = skipParens(e);
  if (!T.isCallExpression(x)) return false;
  const c = skipParens(x.expression);
  const name = T.isIdentifier(c) ? c.text : T.isPropertyAccessExpression(c) ? c.name.text : '';
  return name === 'useState';
}

/** A response object of a request API (`await fetch(u)`), not the body read from it (`await res.json()`). */
function isResponseObject(ref: ApiRef): boolean {
  const n = ref.tokens.length;
  return n >= 2 && ref.tokens[n - 1] === '()' && !/^(json|text|blob|arrayBuffer|formData|data|body)$/.test(ref.tokens[n - 2]);
}

function isBareLooking(spec: string): boolean {
  return /^(@[\w.\-]+\/)?[\w.\-]+(\/.*)?$/.test(spec);
}

export function isTightRegex(src: string): boolean {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(src);
  if (!m) return false;
  const body = m[1];
  if (!body.startsWith('^') || !body.endsWith('$') || body.endsWith('\\$')) return false;
  // no wildcard, no whitespace or negated classes, no "anything but" escapes
  let inClass = false;
  let classHasSpace = false;
  let classHasLetters = false;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\') {
      const nx = body[i + 1];
      if ('sSWDB'.includes(nx) || (nx === 'n' && !inClass)) return false;
      if (inClass && (nx === 'w' || nx === 'p')) classHasLetters = true;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') {
        inClass = false;
        // a class that admits both letters and spaces admits free text
        if (classHasSpace && classHasLetters) return false;
      } else if (ch === ' ') classHasSpace = true;
      else if (/[A-Za-z]/.test(ch) && body[i - 1] !== '\\') classHasLetters = true;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      classHasSpace = false;
      classHasLetters = false;
      if (body[i + 1] === '^') return false;
      continue;
    }
    if (ch === '.') return false;
    if (ch === ' ') return false;
  }
  // unbounded repetition of a broad class is fine only for tight classes; cap length via {m,n} or +
  return true;
}

function isExportedFunction(fn: ts.SignatureDeclaration): { exported: boolean; name?: string } {
  if (T.isFunctionDeclaration(fn)) {
    const mods = T.getModifiers(fn) ?? [];
    const exported = mods.some((m) => m.kind === T.SyntaxKind.ExportKeyword) && T.isSourceFile(fn.parent);
    const isDefault = mods.some((m) => m.kind === T.SyntaxKind.DefaultKeyword);
    return { exported, name: isDefault ? 'default' : fn.name?.text };
  }
  if ((T.isArrowFunction(fn) || T.isFunctionExpression(fn)) && fn.parent && T.isExportAssignment(fn.parent)) return { exported: true, name: 'default' };
  if ((T.isArrowFunction(fn) || T.isFunctionExpression(fn)) && fn.parent && T.isVariableDeclaration(fn.parent) && T.isIdentifier(fn.parent.name)) {
    const stmt = fn.parent.parent?.parent;
    const exported = !!stmt && T.isVariableStatement(stmt) && !!T.getModifiers(stmt)?.some((m) => m.kind === T.SyntaxKind.ExportKeyword);
    return { exported, name: fn.parent.name.text };
  }
  return { exported: false };
}

export { parsePath };
