/**
 * Fixes for `overprivileged-tool`: the SDK's own approval gate on the tool definition — `needsApproval:
 * true` for AI SDK and OpenAI Agents SDK `tool()`, `humanInTheLoopMiddleware` on the LangChain
 * `createAgent` that gets the tool — and the capability fixes at the dangerous call (execFile with an
 * allowlist, path containment, a hostname allowlist, parameterized SQL). A capability fix that leaves
 * nothing to fill in comes first, then the gate, then the rest. MCP tools also get `annotations` that
 * describe what the handler does; they are hints for clients, not a gate, so they only ever travel
 * with a real fix.
 */
import { ts } from 'ts-morph';
import type { Fix, TextEdit } from '../engine/types';
import { resolveName } from '../facts/scope';
import type { FixContext } from './context';
import { addProperty, bindingOf, calleeBinding, calleeName, constInit, constText, findProp, propValue, replace, skip } from './edits';
import { capabilityFixes, type Offer } from './sinks';
import { ensureImport, importedName, quote } from './style';

type ToolKind = 'ai' | 'agents' | 'langchain' | 'mcp';

interface ToolDef {
  kind: ToolKind;
  /** The call that defines the tool (`tool(…)`, `new DynamicStructuredTool(…)`, `server.registerTool(…)`). */
  call: ts.CallExpression | ts.NewExpression;
  /** The options object with the tool's settings. */
  options?: ts.ObjectLiteralExpression;
  /** The handler property (`execute`, `func`) inside `options`. */
  handlerProp?: ts.ObjectLiteralElementLike;
  name?: string;
}

export function toolFixes(ctx: FixContext): Fix[] {
  const def = toolDefinition(ctx);
  const offers = capabilityFixes(ctx);
  const hints = def?.kind === 'mcp' ? mcpAnnotations(ctx, def) : undefined;
  const withHints = (o: Offer): Fix =>
    hints && hints.edits.length ? { ...o.fix, description: `${o.fix.description}; ${hints.description}`, edits: [...o.fix.edits, ...hints.edits] } : o.fix;
  const gate = def ? gateFix(ctx, def) : undefined;
  return [...offers.filter((o) => o.complete).map(withHints), ...(gate ? [gate] : []), ...offers.filter((o) => !o.complete).map(withHints)];
}

// ───────────────────────────── the tool definition ─────────────────────────────

const AI_SPECS = /^ai$/;
const AGENTS_SPECS = /^@openai\/agents(-core)?$/;
const LANGCHAIN_SPECS = /^(@langchain\/core\/tools|@langchain\/core|langchain|langchain\/tools)$/;
const MCP_SPECS = /^@modelcontextprotocol\/sdk\/server\/(mcp|index)(\.js)?$/;

/** The tool whose handler holds the finding. */
function toolDefinition(ctx: FixContext): ToolDef | undefined {
  for (let n: ts.Node = ctx.node; n.parent; n = n.parent) {
    if (!ts.isFunctionLike(n)) continue;
    const fn = n;
    const p = fn.parent;
    // { execute: async () => … } / { async execute() { … } } / { func: … }
    const prop = ts.isPropertyAssignment(p) && p.initializer === fn ? p : ts.isMethodDeclaration(fn) && ts.isObjectLiteralExpression(fn.parent) ? fn : undefined;
    if (prop && ts.isObjectLiteralExpression(prop.parent)) {
      const obj = prop.parent;
      const key = propKey(prop);
      const call = obj.parent;
      if ((ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.[0] === obj) {
        const b = calleeBinding(ctx, call);
        if (b && key === 'execute' && ts.isCallExpression(call) && (b.name === 'tool' || b.name === 'dynamicTool') && AI_SPECS.test(b.specifier))
          return { kind: 'ai', call, options: obj, handlerProp: prop as ts.ObjectLiteralElementLike };
        if (b && key === 'execute' && ts.isCallExpression(call) && b.name === 'tool' && AGENTS_SPECS.test(b.specifier))
          return { kind: 'agents', call, options: obj, handlerProp: prop as ts.ObjectLiteralElementLike, name: constText(valueOf(obj, 'name')) };
        if (b && key === 'func' && ts.isNewExpression(call) && /^(DynamicStructuredTool|DynamicTool)$/.test(b.name) && LANGCHAIN_SPECS.test(b.specifier))
          return { kind: 'langchain', call, options: obj, handlerProp: prop as ts.ObjectLiteralElementLike, name: constText(valueOf(obj, 'name')) };
      }
    }
    // tool(async (input) => …, { name, description, schema })
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.[0] === fn) {
      const b = calleeBinding(ctx, p);
      const opts = p.arguments[1] && skip(p.arguments[1]);
      if (b && b.name === 'tool' && LANGCHAIN_SPECS.test(b.specifier) && opts && ts.isObjectLiteralExpression(opts))
        return { kind: 'langchain', call: p, options: opts, name: constText(valueOf(opts, 'name')) };
    }
    // server.registerTool(name, config, handler) / server.tool(name, …, handler)
    if (ts.isCallExpression(p) && p.arguments[p.arguments.length - 1] === fn && /^(registerTool|tool)$/.test(calleeName(p)) && [...ctx.mod.specifiers].some((s) => MCP_SPECS.test(s))) {
      const config = calleeName(p) === 'registerTool' && p.arguments[1] ? skip(p.arguments[1]) : undefined;
      return { kind: 'mcp', call: p, options: config && ts.isObjectLiteralExpression(config) ? config : undefined, name: constText(p.arguments[0]) };
    }
  }
  return undefined;
}

function propKey(p: ts.Node): string | undefined {
  const n = (p as ts.PropertyAssignment).name;
  return n && (ts.isIdentifier(n) || ts.isStringLiteral(n)) ? n.text : undefined;
}

function valueOf(obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  const p = findProp(obj, name);
  return p ? propValue(p) : undefined;
}

// ───────────────────────────── approval gates ─────────────────────────────

function gateFix(ctx: FixContext, def: ToolDef): Fix | undefined {
  if ((def.kind === 'ai' || def.kind === 'agents') && def.options) return needsApproval(ctx, def.options, def.handlerProp);
  if (def.kind === 'langchain') return humanInTheLoop(ctx, def);
  return undefined;
}

/** `needsApproval: true` on an AI SDK or Agents SDK tool (replacing `needsApproval: false`). */
function needsApproval(ctx: FixContext, options: ts.ObjectLiteralExpression, handler?: ts.ObjectLiteralElementLike): Fix | undefined {
  const existing = findProp(options, 'needsApproval');
  const description = 'Ask the user to approve each call before the tool runs (`needsApproval: true`)';
  if (existing) {
    const v = propValue(existing);
    if (!v || v.kind !== ts.SyntaxKind.FalseKeyword) return undefined;
    return { description, kind: 'suggestion', edits: [replace(ctx, v, 'true')] };
  }
  return { description, kind: 'suggestion', edits: [addProperty(ctx, options, 'needsApproval: true', handler)] };
}

/**
 * LangChain: the `createAgent` in this file that gets the tool interrupts before it runs —
 * `humanInTheLoopMiddleware({ interruptOn: { <tool>: true } })`, added to an existing one or to the
 * agent's `middleware`, with an in-memory checkpointer when the agent has none (an interrupt needs one).
 */
function humanInTheLoop(ctx: FixContext, def: ToolDef): Fix | undefined {
  const name = def.name;
  if (!name) return undefined;
  const agent = agentUsing(ctx, def.call);
  if (!agent) return undefined;
  const [opts] = agent.arguments;
  const o = opts && skip(opts);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : quote(name, ctx.style);
  const edits: TextEdit[] = [];
  const mw = findProp(o, 'middleware');
  const mwList = mw && propValue(mw) ? skip(propValue(mw)!) : undefined;
  let existing: ts.ObjectLiteralExpression | undefined;
  if (mwList && ts.isArrayLiteralExpression(mwList))
    for (const el of mwList.elements) {
      const e = skip(el);
      if (ts.isCallExpression(e) && bindingName(ctx, e) === 'humanInTheLoopMiddleware') {
        const cfg = e.arguments[0] && skip(e.arguments[0]);
        const io = cfg && ts.isObjectLiteralExpression(cfg) ? valueOf(cfg, 'interruptOn') : undefined;
        if (io && ts.isObjectLiteralExpression(skip(io))) existing = skip(io) as ts.ObjectLiteralExpression;
        else return undefined;
      }
    }
  if (existing) {
    const entry = findProp(existing, name);
    if (entry) {
      const v = propValue(entry);
      if (!v || v.kind !== ts.SyntaxKind.FalseKeyword) return undefined;
      edits.push(replace(ctx, v, 'true'));
    } else edits.push(addProperty(ctx, existing, `${key}: true`));
  } else {
    const local = importedName(ctx.sf, ['langchain'], 'humanInTheLoopMiddleware') ?? 'humanInTheLoopMiddleware';
    if (local === 'humanInTheLoopMiddleware') edits.push(...ensureImport(ctx.sf, ctx.file, 'langchain', ['humanInTheLoopMiddleware'], ctx.style));
    const call = `${local}({ interruptOn: { ${key}: true } })`;
    if (mwList && ts.isArrayLiteralExpression(mwList)) {
      const last = mwList.elements[mwList.elements.length - 1];
      if (last) edits.push({ file: ctx.file, startOffset: last.getEnd(), endOffset: last.getEnd(), text: `, ${call}` });
      else edits.push({ file: ctx.file, startOffset: mwList.getStart(ctx.sf) + 1, endOffset: mwList.getEnd() - 1, text: call });
    } else if (mw) return undefined;
    else edits.push(addProperty(ctx, o, `middleware: [${call}]`));
  }
  let checkpointer = '';
  if (!findProp(o, 'checkpointer')) {
    const saver = importedName(ctx.sf, ['@langchain/langgraph'], 'MemorySaver') ?? 'MemorySaver';
    if (saver === 'MemorySaver') edits.push(...ensureImport(ctx.sf, ctx.file, '@langchain/langgraph', ['MemorySaver'], ctx.style));
    edits.push(addProperty(ctx, o, `checkpointer: new ${saver}()`));
    checkpointer = ' (with an in-memory checkpointer, which an interrupt needs)';
  }
  return {
    description: `Pause the agent for human review before \`${name}\` runs (\`humanInTheLoopMiddleware\`)${checkpointer}`,
    kind: 'suggestion',
    edits: mergeSameOffset(edits),
  };
}

/** Two insertions at one offset (two properties after the last one, two import lines) become one edit, in order. */
function mergeSameOffset(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of edits) {
    const prev = out.find((o) => o.startOffset === o.endOffset && e.startOffset === e.endOffset && o.startOffset === e.startOffset);
    if (prev) prev.text += e.text;
    else out.push({ ...e });
  }
  return out;
}

function bindingName(ctx: FixContext, call: ts.CallExpression): string | undefined {
  const c = skip(call.expression);
  if (ts.isIdentifier(c)) return bindingOf(ctx, c)?.name ?? c.text;
  return undefined;
}

/** The `createAgent({ tools: […] })` call in this file whose tools include the tool defined by `def`. */
function agentUsing(ctx: FixContext, def: ts.CallExpression | ts.NewExpression): ts.CallExpression | undefined {
  // the variable the tool is stored in
  let holder: ts.Identifier | undefined;
  const p = def.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) holder = p.name;
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && bindingName(ctx, n) === 'createAgent') {
      const o = n.arguments[0] && skip(n.arguments[0]);
      const tools = o && ts.isObjectLiteralExpression(o) ? valueOf(o, 'tools') : undefined;
      const list = tools && skip(tools);
      if (list && ts.isArrayLiteralExpression(list) && list.elements.some((el) => {
        const e = skip(el);
        return e === def || (holder && ts.isIdentifier(e) && resolveName(e) === holder);
      }))
        found = n;
    }
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return found;
}

// ───────────────────────────── MCP annotations ─────────────────────────────

/** The hints that describe what the handler does, set on the tool's `annotations` (never offered alone). */
function mcpAnnotations(ctx: FixContext, def: ToolDef): { edits: TextEdit[]; description: string } | undefined {
  const want: Record<string, boolean> = {};
  switch (ctx.capability) {
    // shell and code: what a command does after the fix (a fixed binary, allowlisted programs) is not known here
    case 'sql':
      // a fixed SELECT reads; anything else (or SQL the model writes) may change data
      if (readsOnly(ctx)) return undefined;
      Object.assign(want, { readOnlyHint: false, destructiveHint: true });
      break;
    case 'file-write':
      Object.assign(want, { readOnlyHint: false, destructiveHint: true });
      break;
    case 'network':
      Object.assign(want, { openWorldHint: true });
      break;
    default:
      return undefined;
  }
  // the annotations object: `config.annotations` of registerTool, or the hints object argument of server.tool
  let ann: ts.ObjectLiteralExpression | undefined;
  let annProp: ts.ObjectLiteralElementLike | undefined;
  if (def.options) {
    annProp = findProp(def.options, 'annotations');
    const v = annProp ? propValue(annProp) : undefined;
    if (v && ts.isObjectLiteralExpression(skip(v))) ann = skip(v) as ts.ObjectLiteralExpression;
    else if (annProp) return undefined;
  } else if (ts.isCallExpression(def.call)) {
    ann = def.call.arguments.map((a) => skip(a)).find((a): a is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(a) && a.properties.length > 0 && a.properties.every((p) => /Hint$|^title$/.test(propKey(p) ?? '')));
    if (!ann) return undefined;
  } else return undefined;
  const edits: TextEdit[] = [];
  const set: string[] = [];
  if (ann) {
    for (const [k, v] of Object.entries(want)) {
      const p = findProp(ann, k);
      const pv = p ? propValue(p) : undefined;
      if (!pv) continue;
      const lit = pv.kind === ts.SyntaxKind.TrueKeyword ? true : pv.kind === ts.SyntaxKind.FalseKeyword ? false : undefined;
      if (lit !== undefined && lit !== v) {
        edits.push(replace(ctx, pv, String(v)));
        set.push(`${k}: ${v}`);
      }
    }
    // a missing hint defaults to the cautious value (destructive, open world) except readOnlyHint: nothing to add
  } else if (def.options) {
    const text = Object.entries(want).filter(([k]) => k !== 'readOnlyHint').map(([k, v]) => `${k}: ${v}`).join(', ');
    edits.push(addProperty(ctx, def.options, `annotations: { ${text} }`));
    set.push(text);
  }
  if (!edits.length) return undefined;
  return { edits, description: `declare \`${set.join(', ')}\` in the tool's MCP annotations` };
}

/** The query is fixed text that starts with SELECT (or WITH … SELECT) and holds one statement. */
function readsOnly(ctx: FixContext): boolean {
  const call = ctx.node;
  if (!ts.isCallExpression(call) || !call.arguments[0]) return false;
  const a = skip(call.arguments[0]);
  const init = ts.isIdentifier(a) ? constInit(a) : undefined;
  const e = init ?? a;
  let text = '';
  if (ts.isStringLiteralLike(e)) text = e.text;
  else if (ts.isTemplateExpression(e)) text = e.head.text;
  else if (ts.isBinaryExpression(e)) {
    let l: ts.Expression = e;
    while (ts.isBinaryExpression(l)) l = skip(l.left);
    text = ts.isStringLiteralLike(l) ? l.text : '';
  }
  return /^\s*(SELECT|WITH)\b/i.test(text) && !/\b(INSERT|UPDATE|DELETE|DROP|ALTER|TRUNCATE|CREATE|GRANT)\b|;/i.test(text);
}
