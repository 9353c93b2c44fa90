/**
 * Fixes at a dangerous sink, shared by `output-to-sink` and `overprivileged-tool`, one family per
 * capability, each producing code the engine then considers safe:
 * - shell: `exec`/`execSync` of a command string → `execFile`/`execFileSync` of the fixed binary with
 *   an allowlist check of each model-chosen argument; otherwise an allowlist of the model-chosen parts;
 * - code: evaluating a parenthesised object literal the model wrote → `JSON.parse(text)`; otherwise an allowlist;
 * - sql: parameterized SQL in the driver's placeholder style (`$1`, `?`, Prisma and Drizzle tagged
 *   templates), with an allowlist for parts that are not values (identifiers, clauses);
 * - file paths: `path.resolve` plus a `startsWith(root + path.sep)` containment check that throws;
 * - network: a hostname allowlist on the parsed `URL`;
 * - html: `DOMPurify.sanitize(…)` (safe when the project depends on DOMPurify), or text instead of
 *   markup (`textContent`, `insertAdjacentText`, `replaceWith`, a React text child).
 */
import { ts } from 'ts-morph';
import type { Fix, TextEdit } from '../engine/types';
import { resolveName, resolveNameFrom } from '../facts/scope';
import type { FixContext } from './context';
import {
  addProperty,
  bindingOf,
  builtin,
  calleeBinding,
  calleeName,
  constInit,
  findProp,
  freeName,
  insertBefore,
  isKey,
  isTsFile,
  keyRoot,
  moduleObject,
  nameOf,
  propValue,
  replace,
  semi,
  skip,
  startsLine,
  throwUnless,
  upperSnake,
  within,
} from './edits';
import { ensureImport, lineIndent, quote } from './style';

/** A fix and whether it is complete (nothing left for the user to fill in), which ranks it first. */
export interface Offer {
  fix: Fix;
  complete: boolean;
}

/** Fixes for model output that reaches a dangerous sink. */
export function sinkFixes(ctx: FixContext): Fix[] {
  const offers = capabilityFixes(ctx);
  return [...offers.filter((o) => o.complete), ...offers.filter((o) => !o.complete)].map((o) => o.fix);
}

/** The capability's fixes for the finding's node, best first. */
export function capabilityFixes(ctx: FixContext): Offer[] {
  const n = ctx.node;
  switch (ctx.capability) {
    case 'html':
      return htmlFixes(ctx);
    case 'shell':
      return callOf(n) ? shellFixes(ctx, callOf(n)!) : [];
    case 'code':
      return callOf(n) ? codeFixes(ctx, callOf(n)!) : [];
    case 'sql':
      return callOf(n) ? sqlFixes(ctx, callOf(n)!) : [];
    case 'file-write':
    case 'file-read':
      return callOf(n) ? pathFixes(ctx, callOf(n)!) : [];
    case 'network':
      return callOf(n) ? hostFixes(ctx, callOf(n)!) : [];
    default:
      return [];
  }
}

function callOf(n: ts.Node): ts.CallExpression | ts.NewExpression | undefined {
  return ts.isCallExpression(n) || ts.isNewExpression(n) ? n : undefined;
}

function suggestion(description: string, edits: TextEdit[]): Fix {
  return { description, kind: 'suggestion', edits };
}

// ───────────────────────────── allowlists ─────────────────────────────

/** A model-chosen value to check: a key read in place, or an expression hoisted into a constant first. */
interface Checked {
  /** The expression the check reads (a key, or the hoisted constant's name). */
  ref: string;
  name: string;
  /** Statements inserted before the check (the hoisted constant). */
  pre: string[];
  /** Replaces the hoisted expression at the sink with the constant. */
  edits: TextEdit[];
  uses: ts.Identifier[];
  /** The key read in place (not hoisted). */
  key?: ts.Expression;
}

/** Identifiers an expression reads from local bindings. */
function readIds(e: ts.Node): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && resolveName(n)) out.push(n);
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(e);
  return out;
}

/** Whether an expression can move into a constant just before its statement (no await, yield, closures or assignments). */
function hoistable(e: ts.Expression): boolean {
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isAwaitExpression(n) || ts.isYieldExpression(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isClassExpression(n) || ts.isDeleteExpression(n)) ok = false;
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ok = false;
    else if (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) ok = n.operator !== ts.SyntaxKind.PlusPlusToken && n.operator !== ts.SyntaxKind.MinusMinusToken;
    ts.forEachChild(n, visit);
  };
  visit(e);
  return ok;
}

/** The value to check for `e`: the key itself, or a constant holding it. */
function checked(ctx: FixContext, e: ts.Expression, at: ts.Node, label?: string): Checked | undefined {
  const x = skip(e);
  if (isKey(x)) {
    const root = keyRoot(x);
    return { ref: x.getText(ctx.sf), name: label ?? nameOf(x), pre: [], edits: [], uses: root ? [root] : [], key: x };
  }
  if (!hoistable(x) || !isExpressionStatementSafe(x)) return undefined;
  const base = label ?? nameOf(x);
  const name = freeName(ctx, at, [lowerCamel(base), `${lowerCamel(base)}Value`, `checked${upperCamel(base)}`]);
  return {
    ref: name,
    name: base,
    pre: [`const ${name} = ${x.getText(ctx.sf)}${semi(ctx)}`],
    edits: [replace(ctx, e, name)],
    uses: readIds(x),
  };
}

function isExpressionStatementSafe(e: ts.Expression): boolean {
  // a bare object literal or a function would change meaning in a `const` (never the case for call arguments)
  return !ts.isObjectLiteralExpression(e);
}

function lowerCamel(s: string): string {
  const w = s.replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase());
  return /^[A-Z0-9_]+$/.test(w) ? w.toLowerCase() : w.charAt(0).toLowerCase() + w.slice(1);
}

function upperCamel(s: string): string {
  const l = lowerCamel(s);
  return l.charAt(0).toUpperCase() + l.slice(1);
}

const UNCOUNTABLE = /(code|sql|text|html|markdown|data|input|json|source|content|info|script|where|set|sort|order|filter|group|by|clause|s)$/i;

function plural(s: string): string {
  if (UNCOUNTABLE.test(s)) return s;
  if (/[^aeiou]y$/i.test(s)) return s.slice(0, -1) + 'ies';
  if (/(x|ch|sh)$/i.test(s)) return s + 'es';
  return s + 's';
}

/** `const ALLOWED_X: readonly unknown[] = [/* … *\/];` and `if (!ALLOWED_X.includes(v)) throw …`. */
function allowlistLines(ctx: FixContext, c: Checked, at: ts.Node, what: string): { lines: string[]; list: string } {
  const list = freeName(ctx, at, [`ALLOWED_${upperSnake(plural(c.name))}`]);
  const type = isTsFile(ctx.file) ? ': readonly unknown[]' : '';
  return {
    list,
    lines: [
      ...c.pre,
      `const ${list}${type} = [/* ${what} */]${semi(ctx)}`,
      throwUnless(ctx, `!${list}.includes(${c.ref})`, `unsupported ${c.name}`),
    ],
  };
}

/** Parts of a string expression: fixed text and the expressions spliced into it. */
type Part = { kind: 'text'; text: string } | { kind: 'hole'; expr: ts.Expression };

function partsOf(e: ts.Expression): Part[] | undefined {
  const x = skip(e);
  if (ts.isStringLiteralLike(x)) return [{ kind: 'text', text: x.text }];
  if (ts.isTemplateExpression(x)) {
    const out: Part[] = [{ kind: 'text', text: x.head.text }];
    for (const s of x.templateSpans) out.push({ kind: 'hole', expr: s.expression }, { kind: 'text', text: s.literal.text });
    return out;
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = partsOf(x.left) ?? [{ kind: 'hole', expr: x.left } as Part];
    const r = partsOf(x.right) ?? [{ kind: 'hole', expr: x.right } as Part];
    // a numeric addition is not text
    if (!l.some((p) => p.kind === 'text') && !r.some((p) => p.kind === 'text')) return undefined;
    return [...l, ...r];
  }
  return undefined;
}

/**
 * The allowlist fix: every model-chosen part of the argument (the whole argument, or the values
 * spliced into a template) must be one of a constant list the user fills in.
 */
function allowlistFix(ctx: FixContext, call: ts.CallExpression | ts.NewExpression, args: ts.Expression[], noun: string, describe: (names: string[]) => string): Offer | undefined {
  // the whole argument, or the model-chosen values spliced into it (or listed in it)
  const targets: { e: ts.Expression; what: string }[] = [];
  const add = (a: ts.Expression, whole: boolean): void => {
    const x = skip(a);
    const parts = partsOf(x);
    if (ts.isArrayLiteralExpression(x)) {
      for (const el of x.elements) if (!ts.isSpreadElement(el) && ctx.isTainted(el)) add(el, false);
    } else if (parts && parts.some((p) => p.kind === 'text' && p.text.trim() !== '')) {
      for (const p of parts) if (p.kind === 'hole' && ctx.isTainted(p.expr)) targets.push({ e: p.expr, what: 'the exact values you accept' });
    } else targets.push({ e: a, what: whole ? `the exact ${noun} you accept` : 'the exact values you accept' });
  };
  for (const a of args) add(a, true);
  if (!targets.length) return undefined;
  const lines: string[] = [];
  const edits: TextEdit[] = [];
  const uses: ts.Identifier[] = [];
  const keys: ts.Expression[] = [];
  const names: string[] = [];
  const seen = new Set<string>();
  for (const t of targets) {
    const c = checked(ctx, t.e, call);
    if (!c) return undefined;
    if (seen.has(c.ref)) continue;
    seen.add(c.ref);
    const a = allowlistLines(ctx, c, call, t.what);
    if (names.includes(a.list)) return undefined;
    lines.push(...a.lines);
    edits.push(...c.edits);
    uses.push(...c.uses);
    if (c.key) keys.push(c.key);
    names.push(a.list);
  }
  // hoisted values stay next to the call they came from
  const ins = insertBefore(ctx, call, lines, uses, edits.length ? [] : keys);
  if (!ins) return undefined;
  return { fix: suggestion(describe(names), [...ins, ...edits]), complete: false };
}

/** The arguments of a dangerous call that carry the model-chosen value. */
function taintedArgs(ctx: FixContext, call: ts.CallExpression | ts.NewExpression, first = false): ts.Expression[] {
  const args = [...(call.arguments ?? [])].filter((a) => !ts.isObjectLiteralExpression(skip(a)) && !ts.isArrowFunction(a) && !ts.isFunctionExpression(a) && !ts.isSpreadElement(a) && ctx.isTainted(a));
  return first ? args.slice(0, 1) : args;
}

// ───────────────────────────── shell ─────────────────────────────

const SHELL_META = /[|&;<>()$`\\*?[\]{}~#!\n]/;
const SPLIT_NAMES = /^(args|arguments|argv|flags|options|opts|params|command|cmd|commandLine|cmdline)$/i;

type Token = ({ kind: 'text'; text: string } | { kind: 'hole'; expr: ts.Expression; quoted: boolean })[];

/** Splits a shell command into words the way `sh` would, or undefined when it uses shell syntax. */
function shellWords(parts: Part[]): Token[] | undefined {
  const words: Token[] = [];
  let cur: Token = [];
  let started = false;
  let q: '"' | "'" | undefined;
  const push = () => {
    if (started) words.push(cur);
    cur = [];
    started = false;
  };
  const addText = (c: string) => {
    const last = cur[cur.length - 1];
    if (last && last.kind === 'text') last.text += c;
    else cur.push({ kind: 'text', text: c });
    started = true;
  };
  for (const p of parts) {
    if (p.kind === 'hole') {
      cur.push({ kind: 'hole', expr: p.expr, quoted: !!q });
      started = true;
      continue;
    }
    for (const c of p.text) {
      if (q) {
        if (c === q) q = undefined;
        else if (q === '"' && /[$`\\!]/.test(c)) return undefined;
        else addText(c);
        continue;
      }
      if (c === ' ' || c === '\t') push();
      else if (c === '"' || c === "'") {
        q = c;
        started = true;
      } else if (SHELL_META.test(c)) return undefined;
      else addText(c);
    }
  }
  if (q) return undefined;
  push();
  return words;
}

export function escapeTemplate(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

const EXEC_TO_FILE: Record<string, string> = { exec: 'execFile', execSync: 'execFileSync' };

function shellFixes(ctx: FixContext, call: ts.CallExpression | ts.NewExpression): Offer[] {
  const out: Offer[] = [];
  const conv = ts.isCallExpression(call) ? execFileFix(ctx, call) : undefined;
  if (conv) out.push(conv);
  const args = taintedArgs(ctx, call);
  const allow = allowlistFix(ctx, call, args, 'commands', (names) => `Run the command only with allowlisted values (fill in ${names.join(', ')})`);
  if (allow) out.push(allow);
  return out;
}

/** `exec(\`git ${args}\`)` → `execFile('git', args.split(/\s+/))` after an allowlist check of `args`. */
function execFileFix(ctx: FixContext, call: ts.CallExpression): Offer | undefined {
  const b = calleeBinding(ctx, call);
  if (!b || !/^(node:)?child_process$/.test(b.specifier) || !EXEC_TO_FILE[b.name]) return undefined;
  const cmd = call.arguments[0];
  if (!cmd || !ctx.isTainted(cmd)) return undefined;
  const parts = partsOf(cmd);
  if (!parts) return undefined;
  const words = shellWords(parts);
  if (!words || words.length < 2) return undefined;
  const bin = words[0];
  if (bin.length !== 1 || bin[0].kind !== 'text' || /=/.test(bin[0].text)) return undefined;
  const binary = bin[0].text;
  // each model-chosen part is checked (in place, or hoisted into a constant first)
  const checks = new Map<ts.Expression, Checked>();
  for (const w of words.slice(1))
    for (const p of w)
      if (p.kind === 'hole' && ctx.isTainted(p.expr)) {
        const c = checked(ctx, p.expr, call);
        if (!c) return undefined;
        checks.set(p.expr, c);
      }
  if (!checks.size) return undefined;
  const textOf = (e: ts.Expression) => checks.get(e)?.ref ?? e.getText(ctx.sf);
  const argv: string[] = [];
  let spread = false;
  for (const w of words.slice(1)) {
    const holes = w.filter((p): p is Extract<Token[number], { kind: 'hole' }> => p.kind === 'hole');
    if (holes.length === 0) argv.push(quote((w[0] as { text: string }).text, ctx.style));
    else if (w.length === 1 && !holes[0].quoted && SPLIT_NAMES.test(checks.get(holes[0].expr)?.name ?? nameOf(holes[0].expr))) {
      // an unquoted `${args}` is split into words by the shell
      const t = textOf(holes[0].expr);
      argv.push(`...${checks.has(holes[0].expr) || isKey(holes[0].expr) ? t : `(${t})`}.split(/\\s+/)`);
      spread = true;
    } else if (w.length === 1 && (checks.has(holes[0].expr) || isKey(holes[0].expr))) argv.push(textOf(holes[0].expr));
    else argv.push('`' + w.map((p) => (p.kind === 'text' ? escapeTemplate(p.text) : '${' + textOf(p.expr) + '}')).join('') + '`');
  }
  // one spread and nothing else: the split list itself
  const list = argv.length === 1 && spread ? argv[0].slice(3) : `[${argv.join(', ')}]`;
  const lines: string[] = [];
  const uses: ts.Identifier[] = [];
  const keys: ts.Expression[] = [];
  const names: string[] = [];
  let hoisted = false;
  for (const c of checks.values()) {
    const a = allowlistLines(ctx, c, call, `the exact values you accept`);
    if (names.includes(a.list)) continue;
    lines.push(...a.lines);
    uses.push(...c.uses);
    if (c.key) keys.push(c.key);
    hoisted ||= c.pre.length > 0;
    names.push(a.list);
  }
  const ins = insertBefore(ctx, call, lines, uses, hoisted ? [] : keys);
  if (!ins) return undefined;
  const target = EXEC_TO_FILE[b.name];
  const callee = skip(call.expression);
  const edits: TextEdit[] = [...ins];
  if (ts.isPropertyAccessExpression(callee)) edits.push(replace(ctx, callee.name, target));
  else {
    const imp = switchImport(ctx, callee as ts.Identifier, b.specifier, b.name, target);
    if (!imp) return undefined;
    edits.push(replace(ctx, callee, imp.local), ...imp.edits);
  }
  edits.push({ file: ctx.file, startOffset: cmd.getStart(ctx.sf), endOffset: cmd.getEnd(), text: `${quote(binary, ctx.style)}, ${list}` });
  return {
    fix: suggestion(`Run \`${binary}\` without a shell (\`${target}\`) and only with allowlisted arguments (fill in ${names.join(', ')})`, edits),
    complete: false,
  };
}

/**
 * Makes `target` (an export of `specifier`) callable where `callee` (bound to `from`) is: renames the
 * import when `callee` is its only use, otherwise adds the export to the import.
 */
function switchImport(ctx: FixContext, callee: ts.Identifier, specifier: string, from: string, target: string): { local: string; edits: TextEdit[] } | undefined {
  const decl = resolveName(callee);
  if (!decl) return undefined;
  const bound = resolveNameFrom(target, callee);
  if (bound) {
    const b = bindingOf(ctx, bound);
    return b && b.specifier === specifier && b.name === target ? { local: target, edits: [] } : undefined;
  }
  let uses = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== decl && n.text === decl.text && resolveName(n) === decl) uses++;
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  const spec = decl.parent;
  // `import { exec } from 'child_process'` / `const { exec } = require('child_process')` with no other use
  if (uses === 1 && decl.text === from && ((ts.isImportSpecifier(spec) && !spec.propertyName) || (ts.isBindingElement(spec) && !spec.propertyName)))
    return { local: target, edits: [replace(ctx, decl, target)] };
  return { local: target, edits: ensureImport(ctx.sf, ctx.file, specifier, [target], ctx.style) };
}

// ───────────────────────────── code ─────────────────────────────

function codeFixes(ctx: FixContext, call: ts.CallExpression | ts.NewExpression): Offer[] {
  const out: Offer[] = [];
  const json = ts.isCallExpression(call) ? jsonParseFix(ctx, call) : undefined;
  if (json) out.push(json);
  const args = ts.isNewExpression(call) || calleeName(call) === 'Function' ? taintedArgs(ctx, call).slice(-1) : taintedArgs(ctx, call, true);
  const allow = allowlistFix(ctx, call, args, 'programs', (names) => `Run only allowlisted code (fill in ${names.join(', ')})`);
  if (allow) out.push(allow);
  return out;
}

/** Evaluating `'(' + text + ')'` (or the same template) only parses data: `JSON.parse(text)`. */
function jsonParseFix(ctx: FixContext, call: ts.CallExpression): Offer | undefined {
  const c = skip(call.expression);
  const isEval = (ts.isIdentifier(c) && c.text === 'eval') || (ts.isParenthesizedExpression(call.expression) && /eval\)?$/.test(call.expression.getText(ctx.sf)));
  if (!isEval || call.arguments.length !== 1) return undefined;
  const parts = partsOf(call.arguments[0]);
  if (!parts || parts.length !== 3 || parts[1].kind !== 'hole') return undefined;
  const [open, hole, close] = parts as [Extract<Part, { kind: 'text' }>, Extract<Part, { kind: 'hole' }>, Extract<Part, { kind: 'text' }>];
  if (open.text.trim() !== '(' || close.text.trim() !== ')') return undefined;
  return {
    fix: suggestion('Parse the model output as JSON instead of evaluating it', [replace(ctx, call, `JSON.parse(${hole.expr.getText(ctx.sf)})`)]),
    complete: true,
  };
}

// ───────────────────────────── file paths ─────────────────────────────

const FILE_API = /^(writeFile|writeFileSync|appendFile|appendFileSync|readFile|readFileSync|rm|rmSync|rmdir|rmdirSync|unlink|unlinkSync|mkdir|mkdirSync|createWriteStream|createReadStream|open|openSync|copyFile|copyFileSync|cp|cpSync|rename|renameSync|truncate|truncateSync|outputFile|outputFileSync|remove|removeSync|emptyDir|ensureFile|writeJson|writeJSON|readJson|readJSON|unlinkAsync|writeFileAsync|readFileAsync)$/;
const NETWORK_API = /^(fetch|get|post|put|patch|delete|head|request|stream|got|axios|ky|ofetch|\$fetch|undiciFetch)$/;
const SQL_API = /^(query|execute|raw|\w+Raw|\$queryRawUnsafe|\$executeRawUnsafe|prepare|exec|all|get|run|each|any|none|one|oneOrNone|many|manyOrNone|result|unsafe)$/;

/**
 * A call of the library API itself (`fs.writeFile`, `pool.query`), not of a helper declared in this
 * workspace that passes the value on: a helper's arguments may be anything (an object, a list), so
 * rewriting them as a path, a URL or bound SQL would be a guess.
 */
function isApiCall(ctx: FixContext, call: ts.CallExpression | ts.NewExpression, names: RegExp): boolean {
  const c = skip(call.expression);
  const imported = ts.isIdentifier(c) ? bindingOf(ctx, c) : undefined;
  const name = imported && imported.name !== '*' && imported.name !== 'default' ? imported.name : calleeName(call);
  if (!names.test(name)) return false;
  if (ts.isPropertyAccessExpression(c) && c.expression.kind === ts.SyntaxKind.ThisKeyword) return false;
  const id = ts.isIdentifier(c) ? c : undefined;
  const d = id ? resolveName(id) : undefined;
  if (d && !bindingOf(ctx, id!)) {
    // a local binding: an alias of an imported API (`const unlinkAsync = promisify(fs.unlink)`) is fine, a function is not
    const p = d.parent;
    if (ts.isFunctionDeclaration(p)) return false;
    if (ts.isVariableDeclaration(p) && p.initializer && (ts.isArrowFunction(skip(p.initializer)) || ts.isFunctionExpression(skip(p.initializer)))) return false;
  }
  return true;
}

function pathFixes(ctx: FixContext, call: ts.CallExpression | ts.NewExpression): Offer[] {
  if (!isApiCall(ctx, call, FILE_API)) return [];
  const arg = taintedArgs(ctx, call, true)[0];
  if (!arg) return [];
  const out: Offer[] = [];
  const contain = containmentFix(ctx, call, arg);
  if (contain) out.push(contain);
  return out;
}

/** `path.join(R, …)` / `path.resolve(R, …)` with a fixed R: the folder and the rest. */
function rootedJoin(ctx: FixContext, e: ts.Expression): { root: ts.Expression; rest: readonly ts.Expression[] } | undefined {
  const x = skip(e);
  if (!ts.isCallExpression(x) || x.arguments.length < 2) return undefined;
  const name = calleeName(x);
  if (name !== 'join' && name !== 'resolve') return undefined;
  const b = calleeBinding(ctx, x);
  if (!b || !/^(node:)?path(\/posix)?$/.test(b.specifier)) return undefined;
  const root = x.arguments[0];
  if (ctx.isTainted(root) || ts.isSpreadElement(root)) return undefined;
  return { root, rest: x.arguments.slice(1) };
}

/** A `const` whose initializer is `path.resolve(…)` of fixed parts: already a resolved folder. */
function isResolvedConst(ctx: FixContext, e: ts.Expression): boolean {
  const x = skip(e);
  if (!ts.isIdentifier(x)) return false;
  const d = resolveName(x);
  const vd = d?.parent;
  if (!vd || !ts.isVariableDeclaration(vd) || !vd.initializer || !(vd.parent.flags & ts.NodeFlags.Const)) return false;
  const init = skip(vd.initializer);
  if (!ts.isCallExpression(init) || calleeName(init) !== 'resolve') return false;
  const b = calleeBinding(ctx, init);
  return !!b && /^(node:)?path$/.test(b.specifier);
}

/**
 * Containment: `const resolvedX = path.resolve(ROOT, p); if (!resolvedX.startsWith(path.resolve(ROOT) + path.sep)) throw …`
 * and the operation uses the resolved path. The folder is the one the code already joins onto, else
 * the working directory (which relative paths already resolve against), for the user to narrow.
 */
function containmentFix(ctx: FixContext, call: ts.CallExpression | ts.NewExpression, arg: ts.Expression): Offer | undefined {
  const p = moduleObject(ctx, call, ['path', 'node:path'], ['path', 'nodePath', 'pathModule'], builtin(ctx, 'path'));
  const sm = semi(ctx);
  const a = skip(arg);
  // the folder: `path.join(ROOT, rel)` in the call, or in the `const` the call reads
  let root: ts.Expression | undefined;
  let resolvedExpr: string | undefined; // undefined: the argument already is a `path.resolve()`d const
  const direct = rootedJoin(ctx, a);
  if (direct) root = direct.root;
  else {
    const d = ts.isIdentifier(a) ? resolveName(a) : undefined;
    const vd = d?.parent;
    const j = vd && ts.isVariableDeclaration(vd) && vd.name === d && vd.initializer && vd.parent.flags & ts.NodeFlags.Const ? rootedJoin(ctx, vd.initializer) : undefined;
    if (j) root = j.root;
    if (!j || calleeName(skip((vd as ts.VariableDeclaration).initializer!) as ts.CallExpression) !== 'resolve') resolvedExpr = `${p.name}.resolve(${a.getText(ctx.sf)})`;
  }
  const uses: ts.Identifier[] = [];
  let rootText: string;
  let rootDesc: string;
  if (root) {
    const r = root.getText(ctx.sf);
    rootText = isResolvedConst(ctx, root) ? r : `${p.name}.resolve(${r})`;
    rootDesc = `\`${r}\``;
    uses.push(...readIds(root));
  } else {
    rootText = 'process.cwd()';
    rootDesc = 'the working directory (change `process.cwd()` to the folder this code may use)';
  }
  if (direct) resolvedExpr = `${p.name}.resolve(${root!.getText(ctx.sf)}, ${direct.rest.map((r) => r.getText(ctx.sf)).join(', ')})`;
  const lines: string[] = [];
  let checkedRef: string;
  if (resolvedExpr) {
    const n = nameOf(direct ? direct.rest[direct.rest.length - 1] : a);
    checkedRef = freeName(ctx, call, [`resolved${upperCamel(n)}`, `resolved${upperCamel(n)}Path`, 'resolvedPath']);
    lines.push(`const ${checkedRef} = ${resolvedExpr}${sm}`);
  } else checkedRef = a.getText(ctx.sf);
  const folder = root ? root.getText(ctx.sf) : 'the working directory';
  lines.push(throwUnless(ctx, `!${checkedRef}.startsWith(${rootText} + ${p.name}.sep)`, `path escapes ${folder}`));
  uses.push(...(direct ? direct.rest.flatMap((r) => readIds(r)) : readIds(a)));
  const keys = direct ? direct.rest.filter((r) => isKey(r)) : isKey(a) ? [a] : [];
  const ins = insertBefore(ctx, call, lines, uses, keys);
  if (!ins) return undefined;
  const verb = ctx.capability === 'file-read' ? 'reads' : 'writes';
  const edits = [...ins, ...p.edits];
  if (resolvedExpr) edits.push(replace(ctx, arg, checkedRef));
  return {
    fix: suggestion(`Contain the path: resolve it and reject anything outside ${rootDesc}, so ${verb} stay inside the folder`, edits),
    complete: !!root,
  };
}

// ───────────────────────────── network ─────────────────────────────

function hostFixes(ctx: FixContext, call: ts.CallExpression | ts.NewExpression): Offer[] {
  if (!isApiCall(ctx, call, NETWORK_API)) return [];
  const arg = taintedArgs(ctx, call, true)[0];
  if (!arg) return [];
  const c = checked(ctx, arg, call, 'url');
  if (!c) return [];
  const base = /^(url|uri|href|link|endpoint|address)$/i.test(c.name) ? 'ALLOWED_HOSTS' : `ALLOWED_${upperSnake(c.name)}_HOSTS`;
  const list = freeName(ctx, call, [base]);
  const type = isTsFile(ctx.file) ? ': readonly string[]' : '';
  const url = c.ref;
  const lines = [
    ...c.pre,
    `const ${list}${type} = [/* the hosts this code may call, e.g. ${quote('api.github.com', ctx.style)} */]${semi(ctx)}`,
    throwUnless(ctx, `!${list}.includes(new URL(${url}).hostname)`, 'host not allowed'),
  ];
  const ins = insertBefore(ctx, call, lines, c.uses, c.key ? [c.key] : []);
  if (!ins) return [];
  return [{ fix: suggestion(`Allow requests only to listed hosts (fill in ${list})`, [...ins, ...c.edits]), complete: false }];
}

// ───────────────────────────── html ─────────────────────────────

const MARKDOWN_CALL = /^(parse|render|marked|markdown|md|toHtml|mdToHtml|markdownToHtml|renderMarkdown|micromark|process|processSync)$/;

function htmlFixes(ctx: FixContext): Offer[] {
  const n = ctx.node;
  let value: ts.Expression | undefined;
  let text: TextEdit[] | undefined;
  let textDesc = '';
  let append = false;
  if (ts.isBinaryExpression(n) && ts.isPropertyAccessExpression(n.left)) {
    value = n.right;
    append = n.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken;
    const prop = n.left.name.text;
    if (prop === 'innerHTML' && isPlainText(ctx, value)) {
      text = [replace(ctx, n.left.name, 'textContent')];
      textDesc = 'Show the model output as text (`textContent`) instead of HTML';
    } else if (prop === 'outerHTML' && !append && isPlainText(ctx, value) && ts.isExpressionStatement(n.parent)) {
      text = [replace(ctx, n, `${n.left.expression.getText(ctx.sf)}.replaceWith(${value.getText(ctx.sf)})`)];
      textDesc = 'Replace the element with the model output as text (`replaceWith`) instead of HTML';
    }
  } else if (ts.isCallExpression(n)) {
    const name = calleeName(n);
    if (name === 'insertAdjacentHTML' && n.arguments.length === 2) {
      value = n.arguments[1];
      const callee = skip(n.expression);
      if (isPlainText(ctx, value) && ts.isPropertyAccessExpression(callee)) {
        text = [replace(ctx, callee.name, 'insertAdjacentText')];
        textDesc = 'Insert the model output as text (`insertAdjacentText`) instead of HTML';
      }
    } else if ((name === 'write' || name === 'writeln') && n.arguments.length === 1) value = n.arguments[0];
    else if ((name === 'createContextualFragment' || name === 'setHTMLUnsafe') && n.arguments.length >= 1) value = n.arguments[0];
  } else if (ts.isJsxAttribute(n) && n.initializer && ts.isJsxExpression(n.initializer) && n.initializer.expression) {
    const obj = skip(n.initializer.expression);
    const prop = ts.isObjectLiteralExpression(obj) ? findProp(obj, '__html') : undefined;
    value = prop ? propValue(prop) : undefined;
    if (value && !ts.isShorthandPropertyAssignment(prop!)) {
      const asText = reactText(ctx, n, value);
      if (asText) {
        text = asText;
        textDesc = 'Render the model output as a text child instead of `dangerouslySetInnerHTML`';
      }
    }
  }
  if (!value) return [];
  const out: Offer[] = [];
  const purify = sanitizeFix(ctx, value, append);
  const textOffer = text ? { fix: suggestion(textDesc, text), complete: true } : undefined;
  if (purify && purify.fix.kind === 'safe') out.push(purify);
  if (textOffer) out.push(textOffer);
  if (purify && purify.fix.kind !== 'safe') out.push(purify);
  return out;
}

/** Text, not markup built in the code: not a template or concatenation with fixed tags, not a markdown renderer's output. */
function isPlainText(ctx: FixContext, v: ts.Expression, depth = 0): boolean {
  const x = skip(v);
  const init = ts.isIdentifier(x) && depth < 4 ? constInit(x) : undefined;
  if (init) return isPlainText(ctx, init, depth + 1);
  const parts = partsOf(x);
  if (parts && parts.some((p) => p.kind === 'text' && /<[a-zA-Z/!]/.test(p.text))) return false;
  if (ts.isCallExpression(x) && MARKDOWN_CALL.test(calleeName(x))) return false;
  if (ts.isAwaitExpression(x) && ts.isCallExpression(skip(x.expression)) && MARKDOWN_CALL.test(calleeName(skip(x.expression) as ts.CallExpression))) return false;
  return true;
}

/** `<div dangerouslySetInnerHTML={{ __html: x }} />` → `<div>{x}</div>`. */
function reactText(ctx: FixContext, attr: ts.JsxAttribute, value: ts.Expression): TextEdit[] | undefined {
  if (!isPlainText(ctx, value)) return undefined;
  const el = attr.parent.parent;
  if (!ts.isJsxSelfClosingElement(el)) return undefined;
  const sf = ctx.sf;
  const text = sf.text;
  // remove the attribute with the whitespace (or line) before it
  const start = attr.getStart(sf);
  let ws = start;
  while (ws > 0 && /[ \t]/.test(text[ws - 1])) ws--;
  if (text[ws - 1] === '\n') {
    ws--;
    if (text[ws - 1] === '\r') ws--;
  }
  const tag = el.tagName.getText(sf);
  // `/>` → `>{x}</tag>`
  const close = el.getEnd() - 2;
  let closeStart = close;
  while (closeStart > 0 && /[ \t]/.test(text[closeStart - 1])) closeStart--;
  const multilineClose = text[closeStart - 1] === '\n';
  return [
    { file: ctx.file, startOffset: ws, endOffset: attr.getEnd(), text: '' },
    { file: ctx.file, startOffset: multilineClose ? close : closeStart, endOffset: el.getEnd(), text: `>{${value.getText(sf)}}</${tag}>` },
  ];
}

function sanitizeFix(ctx: FixContext, value: ts.Expression, append: boolean): Offer | undefined {
  const deps = ctx.dependencies;
  const spec = deps.has('isomorphic-dompurify') ? 'isomorphic-dompurify' : 'dompurify';
  const depended = deps.has('dompurify') || deps.has('isomorphic-dompurify');
  const m = moduleObject(ctx, value, ['dompurify', 'isomorphic-dompurify'], ['DOMPurify', 'domPurify', 'purify'], spec);
  const v = skip(value);
  // `{ __html }` becomes `{ __html: DOMPurify.sanitize(__html) }`
  const target = ts.isShorthandPropertyAssignment(value.parent) ? `${value.getText(ctx.sf)}: ` : '';
  const edits: TextEdit[] = [replace(ctx, value, `${target}${m.name}.sanitize(${v.getText(ctx.sf)})`), ...m.edits];
  const safe = depended && !append;
  return {
    fix: {
      description: depended ? `Sanitize the HTML with DOMPurify before inserting it` : `Sanitize the HTML with DOMPurify before inserting it (adds the \`dompurify\` dependency)`,
      kind: safe ? 'safe' : 'suggestion',
      edits,
    },
    complete: true,
  };
}

// ───────────────────────────── sql ─────────────────────────────

type Driver =
  | { kind: 'values'; placeholder: '$' | '?' } // `q(sql, [values])`
  | { kind: 'prepare' } // better-sqlite3: `db.prepare(sql).all(...values)`
  | { kind: 'sqlite-exec' } // better-sqlite3 `db.exec(sql)` → `db.prepare(sql).run(...values)`
  | { kind: 'replacements' } // sequelize `query(sql, { replacements })`
  | { kind: 'prisma' }
  | { kind: 'drizzle' };

function driverOf(ctx: FixContext, call: ts.CallExpression): Driver | undefined {
  const name = calleeName(call);
  const specs = ctx.mod.specifiers;
  const has = (...s: string[]) => s.some((x) => specs.has(x));
  if (name === '$queryRawUnsafe' || name === '$executeRawUnsafe') return { kind: 'prisma' };
  if (name === 'raw') {
    const callee = skip(call.expression);
    const base = ts.isPropertyAccessExpression(callee) ? skip(callee.expression) : undefined;
    if (base && ts.isIdentifier(base)) {
      const b = calleeBinding(ctx, call);
      if (b && /^drizzle-orm/.test(b.specifier)) return { kind: 'drizzle' };
    }
    if (has('knex')) return { kind: 'values', placeholder: '?' };
    return undefined;
  }
  if (/Raw$/.test(name) && has('knex')) return { kind: 'values', placeholder: '?' };
  if (has('better-sqlite3')) return name === 'prepare' ? { kind: 'prepare' } : name === 'exec' ? { kind: 'sqlite-exec' } : undefined;
  if (has('sequelize', '@sequelize/core') && name === 'query') return { kind: 'replacements' };
  if (has('pg', 'postgres', '@neondatabase/serverless', '@vercel/postgres', 'pg-promise')) return { kind: 'values', placeholder: '$' };
  if (has('mysql2', 'mysql2/promise', 'mysql', 'promise-mysql')) return { kind: 'values', placeholder: '?' };
  if (has('sqlite3', 'sqlite') && name !== 'exec') return { kind: 'values', placeholder: '?' };
  return undefined;
}

function sqlFixes(ctx: FixContext, call: ts.CallExpression | ts.NewExpression): Offer[] {
  const out: Offer[] = [];
  const param = ts.isCallExpression(call) ? parameterizeFix(ctx, call) : undefined;
  if (param) out.push(param);
  if (!param || !param.complete) {
    const allow = allowlistFix(ctx, call, taintedArgs(ctx, call, true), 'queries', (names) => `Run the query only with allowlisted values (fill in ${names.join(', ')})`);
    if (allow) out.push(allow);
  }
  return out;
}

interface SqlParam {
  /** The expression bound to the placeholder. */
  text: string;
  tainted: boolean;
}

/**
 * Moves the values spliced into SQL text into bound parameters. Values are the spliced parts inside
 * quotes or after a comparison, `LIKE`, `LIMIT`/`OFFSET` or inside `VALUES (…)`; other model-chosen
 * parts (identifiers, whole clauses) keep their place behind an allowlist check.
 */
function parameterizeFix(ctx: FixContext, call: ts.CallExpression): Offer | undefined {
  if (!isApiCall(ctx, call, SQL_API)) return undefined;
  const driver = driverOf(ctx, call);
  if (!driver) return undefined;
  const arg = call.arguments[0];
  if (!arg) return undefined;
  // the SQL text: in the call, or a `const` just before it that only this call uses
  let sqlNode: ts.Expression = arg;
  const a = skip(arg);
  if (ts.isIdentifier(a)) {
    const init = singleUseConst(ctx, a, call);
    if (!init) return undefined;
    sqlNode = init;
  }
  const parts = partsOf(sqlNode);
  if (!parts || !parts.some((p) => p.kind === 'hole' && ctx.isTainted(p.expr))) return undefined;
  // MySQL prepared statements (mysql2 `execute`) reject a bound LIMIT/OFFSET given as a number
  const limitBindable = !(driver.kind === 'values' && driver.placeholder === '?' && calleeName(call) === 'execute');
  const wasTemplate = ts.isTemplateExpression(skip(sqlNode)) || ts.isNoSubstitutionTemplateLiteral(skip(sqlNode));
  const fixedText = parts.filter((p) => p.kind === 'text').map((p) => (p as { text: string }).text).join('');
  const ph = driver.kind === 'values' ? driver.placeholder : driver.kind === 'prisma' || driver.kind === 'drizzle' ? '$' : '?';
  if (ph === '$' ? /\$\d/.test(fixedText) : /\?/.test(stripQuoted(fixedText))) return undefined;

  // walk the SQL: copy text, turn quoted strings with spliced values and value positions into placeholders
  type Out = { kind: 'text'; text: string } | { kind: 'hole'; expr: ts.Expression } | { kind: 'param'; index: number };
  const out: Out[] = [];
  const params: SqlParam[] = [];
  const keep: ts.Expression[] = [];
  let quoted: Part[] | undefined;
  const emitText = (s: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === 'text') last.text += s;
    else out.push({ kind: 'text', text: s });
  };
  const soFar = (): string => out.map((o) => (o.kind === 'text' ? o.text : '\u0000')).join('');
  for (const p of parts) {
    if (p.kind === 'hole') {
      if (quoted) quoted.push(p);
      else if (isValuePosition(soFar(), limitBindable)) {
        params.push({ text: p.expr.getText(ctx.sf), tainted: ctx.isTainted(p.expr) });
        out.push({ kind: 'param', index: params.length });
      } else {
        if (ctx.isTainted(p.expr)) keep.push(p.expr);
        out.push({ kind: 'hole', expr: p.expr });
      }
      continue;
    }
    const s = p.text;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (quoted) {
        if (c === "'" && s[i + 1] === "'") {
          appendQuoted(quoted, "''");
          i++;
        } else if (c === "'") {
          // the string ends: with spliced values it becomes one bound parameter
          if (quoted.some((q) => q.kind === 'hole')) {
            params.push({ text: paramText(ctx, quoted), tainted: quoted.some((q) => q.kind === 'hole' && ctx.isTainted(q.expr)) });
            out.push({ kind: 'param', index: params.length });
          } else emitText("'" + quoted.map((q) => (q as { text: string }).text).join('') + "'");
          quoted = undefined;
        } else appendQuoted(quoted, c);
      } else if (c === "'") quoted = [];
      else emitText(c);
    }
  }
  if (quoted || params.length === 0 || !params.some((p) => p.tainted)) return undefined;
  // the remaining model-chosen parts need an allowlist
  const lines: string[] = [];
  const uses: ts.Identifier[] = [];
  const keys: ts.Expression[] = [];
  const names: string[] = [];
  for (const e of keep) {
    const c = checked(ctx, e, call);
    if (!c || c.edits.length) return undefined;
    const al = allowlistLines(ctx, c, call, 'the exact values you accept');
    if (names.includes(al.list)) continue;
    lines.push(...al.lines);
    uses.push(...c.uses);
    if (c.key) keys.push(c.key);
    names.push(al.list);
  }
  const holes = out.some((o) => o.kind === 'hole');
  const render = (mark: (i: number) => string, forTemplate: boolean): string => {
    if (!forTemplate && !holes) {
      const sql = out.map((o) => (o.kind === 'text' ? o.text : mark((o as { index: number }).index))).join('');
      if (wasTemplate && sql.includes('\n')) return '`' + escapeTemplate(sql) + '`';
      const other = ctx.style.quote === "'" ? '"' : "'";
      // a string literal that needs no escaping: the file's quotes, the other quotes, or a template
      if (!sql.includes(ctx.style.quote)) return quote(sql, ctx.style);
      if (!sql.includes(other)) return other + sql.replace(/\\/g, '\\\\') + other;
      return '`' + escapeTemplate(sql) + '`';
    }
    return '`' + out.map((o) => (o.kind === 'text' ? escapeTemplate(o.text) : o.kind === 'hole' ? '${' + o.expr.getText(ctx.sf) + '}' : mark(o.index))).join('') + '`';
  };
  const values = params.map((p) => p.text);
  const edits: TextEdit[] = [];
  const sqlEdit = (text: string) => edits.push(replace(ctx, sqlNode, text));
  let how = '';
  switch (driver.kind) {
    case 'values': {
      if (call.arguments.length !== 1 && !(call.arguments.length === 2 && isCallback(call.arguments[1]))) return undefined;
      sqlEdit(render((i) => (driver.placeholder === '$' ? `$${i}` : '?'), false));
      edits.push({ file: ctx.file, startOffset: arg.getEnd(), endOffset: arg.getEnd(), text: `${argSep(ctx, arg)}[${values.join(', ')}]` });
      how = driver.placeholder === '$' ? '`$1` placeholders' : '`?` placeholders';
      break;
    }
    case 'replacements': {
      sqlEdit(render(() => '?', false));
      const opts = call.arguments[1] ? skip(call.arguments[1]) : undefined;
      if (call.arguments.length === 1) edits.push({ file: ctx.file, startOffset: arg.getEnd(), endOffset: arg.getEnd(), text: `, { replacements: [${values.join(', ')}] }` });
      else if (opts && ts.isObjectLiteralExpression(opts) && !findProp(opts, 'replacements') && !findProp(opts, 'bind') && call.arguments.length === 2) edits.push(addProperty(ctx, opts, `replacements: [${values.join(', ')}]`));
      else return undefined;
      how = '`?` replacements';
      break;
    }
    case 'prepare':
    case 'sqlite-exec': {
      if (call.arguments.length !== 1) return undefined;
      if (driver.kind === 'prepare') {
        // db.prepare(sql).all() → db.prepare(sql).all(...values)
        const access = call.parent;
        const run = access && ts.isPropertyAccessExpression(access) && access.expression === call ? access.parent : undefined;
        if (!run || !ts.isCallExpression(run) || run.arguments.length !== 0 || !/^(all|get|run|iterate)$/.test((access as ts.PropertyAccessExpression).name.text)) return undefined;
        sqlEdit(render(() => '?', false));
        edits.push({ file: ctx.file, startOffset: run.getEnd() - 1, endOffset: run.getEnd() - 1, text: values.join(', ') });
      } else {
        if (/;\s*\S/.test(fixedText)) return undefined; // several statements: `exec` only
        const callee = skip(call.expression);
        if (!ts.isPropertyAccessExpression(callee)) return undefined;
        edits.push(replace(ctx, callee.name, 'prepare'));
        sqlEdit(render(() => '?', false));
        edits.push({ file: ctx.file, startOffset: call.getEnd(), endOffset: call.getEnd(), text: `.run(${values.join(', ')})` });
      }
      how = '`?` placeholders';
      break;
    }
    case 'prisma':
    case 'drizzle': {
      const callee = skip(call.expression);
      if (call.arguments.length !== 1 || !ts.isPropertyAccessExpression(callee)) return undefined;
      if (!holes && sqlNode === arg) {
        // a tagged template binds every spliced value
        const tag = driver.kind === 'prisma' ? callee.name.text.replace(/Unsafe$/, '') : '';
        const tpl = '`' + out.map((o) => (o.kind === 'text' ? escapeTemplate(o.text) : '${' + values[(o as { index: number }).index - 1] + '}')).join('') + '`';
        if (driver.kind === 'prisma') edits.push({ file: ctx.file, startOffset: callee.name.getStart(ctx.sf), endOffset: call.getEnd(), text: tag + tpl });
        else edits.push({ file: ctx.file, startOffset: callee.getStart(ctx.sf), endOffset: call.getEnd(), text: callee.expression.getText(ctx.sf) + tpl });
        how = driver.kind === 'prisma' ? `the \`${tag}\` tagged template` : 'the `sql` tagged template';
        break;
      }
      if (driver.kind === 'drizzle') return undefined;
      sqlEdit(render((i) => `$${i}`, false));
      edits.push({ file: ctx.file, startOffset: arg.getEnd(), endOffset: arg.getEnd(), text: `${argSep(ctx, arg)}${values.join(', ')}` });
      how = '`$1` placeholders';
      break;
    }
  }
  // the checks go before the SQL text is built (the `const` it is written in, or the call)
  const ins = lines.length ? insertBefore(ctx, sqlNode === arg ? call : sqlNode, lines, uses, keys) : [];
  if (!ins) return undefined;
  const rest = names.length ? ` and allowlist the other model-chosen parts (fill in ${names.join(', ')})` : '';
  return { fix: suggestion(`Bind the values as query parameters (${how})${rest}`, [...ins, ...edits]), complete: names.length === 0 };
}

/** Whether a value spliced after this SQL text is a value (not an identifier, keyword or clause). */
function isValuePosition(sql: string, limitBindable: boolean): boolean {
  if (!limitBindable && /\b(LIMIT|OFFSET)\s*$/i.test(sql)) return false;
  if (/(=|<>|!=|<=|>=|<|>|\bLIKE|\bILIKE|\bLIMIT|\bOFFSET|\bBETWEEN|\bIS\s+(NOT\s+)?DISTINCT\s+FROM)\s*$/i.test(sql)) return true;
  if (/\bBETWEEN\s+\u0000\s+AND\s*$/i.test(sql)) return true;
  // inside `VALUES (` right after `(` or `,`
  const m = /\bVALUES\s*\(([^()]*)$/i.exec(sql);
  return !!m && /(^|,)\s*$/.test(m[1]);
}

function appendQuoted(q: Part[], s: string): void {
  const last = q[q.length - 1];
  if (last && last.kind === 'text') last.text += s;
  else q.push({ kind: 'text', text: s });
}

/** The bound value for a quoted SQL string with spliced parts: the part itself, or a template of the string. */
function paramText(ctx: FixContext, q: Part[]): string {
  const parts = q.filter((p) => !(p.kind === 'text' && p.text === ''));
  if (parts.length === 1 && parts[0].kind === 'hole') return parts[0].expr.getText(ctx.sf);
  return '`' + parts.map((p) => (p.kind === 'text' ? escapeTemplate(p.text.replace(/''/g, "'")) : '${' + p.expr.getText(ctx.sf) + '}')).join('') + '`';
}

function stripQuoted(s: string): string {
  return s.replace(/'(?:[^']|'')*'/g, "''");
}

/** The separator before a new argument after `arg`: on its own line when `arg` is on its own line. */
function argSep(ctx: FixContext, arg: ts.Expression): string {
  return startsLine(ctx.sf, arg) ? `,${ctx.style.eol}${lineIndent(ctx.sf, arg.getStart(ctx.sf))}` : ', ';
}

function isCallback(e: ts.Expression): boolean {
  return ts.isArrowFunction(e) || ts.isFunctionExpression(e);
}

/** The initializer of a `const` declared in the same function as `use`, read only there. */
export function singleUseConst(ctx: FixContext, id: ts.Identifier, use: ts.Node): ts.Expression | undefined {
  const decl = resolveName(id);
  const vd = decl?.parent;
  if (!vd || !ts.isVariableDeclaration(vd) || vd.name !== decl || !vd.initializer) return undefined;
  if (!(vd.parent.flags & ts.NodeFlags.Const) || !ts.isVariableStatement(vd.parent.parent)) return undefined;
  if (enclosingFn(vd) !== enclosingFn(use) || vd.getSourceFile() !== ctx.sf) return undefined;
  let uses = 0;
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n) && n !== decl && n.text === decl!.text && resolveName(n) === decl) uses++;
    ts.forEachChild(n, visit);
  };
  visit(ctx.sf);
  return uses === 1 && within(id, use) ? vd.initializer : undefined;
}

function enclosingFn(n: ts.Node): ts.Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p) || ts.isSourceFile(p)) return p;
  return undefined;
}

