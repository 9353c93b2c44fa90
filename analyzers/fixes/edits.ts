/**
 * Shared pieces for the guard-inserting fix builders (tools, sinks, pins): where a check goes (the
 * statement that holds the finding, or a concise arrow body that becomes a block), object properties
 * inserted in the object's own layout, free local names, default / namespace module bindings in the
 * file's module system, the import binding behind a callee, and constant folding of string values
 * declared in the same file.
 */
import { ts } from 'ts-morph';
import type { TextEdit } from '../engine/types';
import { resolveName, resolveNameFrom } from '../facts/scope';
import type { FixContext } from './context';
import { lineIndent, lineStart, quote } from './style';

// ───────────────────────────── syntax ─────────────────────────────

/** Skips parentheses and type-only wrappers (`as`, `!`, `satisfies`). */
export function skip(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = e.expression;
  return e;
}

export function propName(p: ts.Node): string | undefined {
  const n = (p as ts.PropertyAssignment).name as ts.PropertyName | undefined;
  if (!n) return undefined;
  if (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isNumericLiteral(n)) return n.text;
  return undefined;
}

export function findProp(obj: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  return obj.properties.find((p) => propName(p) === name);
}

/** The value of a property (the name itself for a shorthand property). */
export function propValue(p: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(p)) return p.initializer;
  if (ts.isShorthandPropertyAssignment(p)) return p.name;
  return undefined;
}

/** The name a callee is called by: `exec`, `cp.exec` → `exec`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string {
  const c = skip(call.expression);
  if (ts.isIdentifier(c)) return c.text;
  if (ts.isPropertyAccessExpression(c)) return c.name.text;
  return '';
}

export function isKey(e: ts.Expression): boolean {
  const x = skip(e);
  if (ts.isIdentifier(x)) return true;
  if (ts.isPropertyAccessExpression(x)) return x.expression.kind === ts.SyntaxKind.ThisKeyword || isKey(x.expression);
  return false;
}

/** The identifier a key reads from (`args` in `args.command`), undefined for `this.x`. */
export function keyRoot(e: ts.Expression): ts.Identifier | undefined {
  let x = skip(e);
  while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = skip(x.expression);
  return ts.isIdentifier(x) ? x : undefined;
}

const GENERIC = new Set(['args', 'input', 'params', 'arguments', 'data', 'body', 'value', 'payload', 'req', 'request', 'parsed', 'result', 'output', 'call', 'this', 'json', 'toolCall', 'fn', 'function']);

/** A readable name for the value an expression reads (`args.command` → `command`, `input.trim()` → `input`). */
export function nameOf(e: ts.Expression): string {
  const names: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) names.push(n.text);
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return;
    ts.forEachChild(n, visit);
  };
  visit(e);
  const useful = names.filter((n) => !GENERIC.has(n) && !/^(String|Number|JSON|trim|toString|toLowerCase|toUpperCase|slice|parse|join|split)$/.test(n));
  return useful[useful.length - 1] ?? names[0] ?? 'value';
}

/** `relativePath` → `RELATIVE_PATH`. */
export function upperSnake(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase() || 'VALUE';
}

export function isTsFile(file: string): boolean {
  return /\.(ts|tsx|mts|cts)$/.test(file);
}

export function semi(ctx: FixContext): string {
  return ctx.style.semi ? ';' : '';
}

export function startsLine(sf: ts.SourceFile, n: ts.Node): boolean {
  const start = n.getStart(sf);
  return /^[ \t]*$/.test(sf.text.slice(lineStart(sf, start), start));
}

export function within(n: ts.Node, outer: ts.Node): boolean {
  for (let c: ts.Node | undefined = n; c; c = c.parent) if (c === outer) return true;
  return false;
}

export function replace(ctx: FixContext, n: ts.Node, text: string): TextEdit {
  return { file: ctx.file, startOffset: n.getStart(ctx.sf), endOffset: n.getEnd(), text };
}

export function insertAt(ctx: FixContext, at: number, text: string): TextEdit {
  return { file: ctx.file, startOffset: at, endOffset: at, text };
}

// ───────────────────────────── objects ─────────────────────────────

/**
 * Adds a property to an object literal in its own layout: before `before` when given (the property
 * that should follow it), otherwise after the last property; one per line when the object is written
 * one property per line.
 */
export function addProperty(ctx: FixContext, obj: ts.ObjectLiteralExpression, text: string, before?: ts.ObjectLiteralElementLike): TextEdit {
  const sf = ctx.sf;
  const props = obj.properties;
  if (before) {
    const at = before.getStart(sf);
    const multiline = startsLine(sf, before);
    return insertAt(ctx, at, text + (multiline ? ',' + ctx.style.eol + lineIndent(sf, at) : ', '));
  }
  const last = props[props.length - 1];
  if (!last) {
    // `{}` → `{ text }`
    const open = obj.getStart(sf);
    return { file: ctx.file, startOffset: open + 1, endOffset: obj.getEnd() - 1, text: ` ${text} ` };
  }
  const multiline = startsLine(sf, last);
  const end = last.getEnd();
  const hasComma = sf.text.slice(end, obj.getEnd() - 1).trimStart().startsWith(',');
  if (multiline) {
    const indent = lineIndent(sf, last.getStart(sf));
    // a comment after the last property stays on its line
    const lineEnd = (from: number) => {
      const nl = sf.text.indexOf('\n', from);
      const e = nl < 0 ? sf.text.length : nl;
      return sf.text[e - 1] === '\r' ? e - 1 : e;
    };
    // after the trailing comma when there is one, keeping the file's trailing-comma habit
    if (hasComma) {
      const comma = end + sf.text.slice(end).indexOf(',');
      const eolAt = lineEnd(comma);
      const after = sf.text.slice(comma + 1, eolAt).trim();
      const at = after.startsWith('//') || after.startsWith('/*') ? eolAt : comma + 1;
      return insertAt(ctx, at, ctx.style.eol + indent + text + ',');
    }
    const eolAt = lineEnd(end);
    const rest = sf.text.slice(end, eolAt);
    if (/^\s*(\/\/|\/\*)/.test(rest)) return { file: ctx.file, startOffset: end, endOffset: eolAt, text: ',' + rest + ctx.style.eol + indent + text };
    return insertAt(ctx, end, ',' + ctx.style.eol + indent + text);
  }
  if (hasComma) {
    const comma = end + sf.text.slice(end).indexOf(',');
    return insertAt(ctx, comma + 1, ` ${text},`);
  }
  return insertAt(ctx, end, `, ${text}`);
}

// ───────────────────────────── statements ─────────────────────────────

export type Site =
  | { kind: 'statement'; stmt: ts.Statement }
  | { kind: 'arrow'; arrow: ts.ArrowFunction; body: ts.Expression };

/** Where code that must run before `n` goes: the statement (in a block, case clause or file) that holds it, or a concise arrow body. */
export function siteOf(n: ts.Node): Site | undefined {
  for (let c: ts.Node = n; c.parent; c = c.parent) {
    const p = c.parent;
    if ((ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p)) && ts.isStatement(c)) return { kind: 'statement', stmt: c };
    if (ts.isArrowFunction(p) && p.body === c && !ts.isBlock(c)) return { kind: 'arrow', arrow: p, body: c as ts.Expression };
    if (ts.isClassLike(p) || ts.isPropertyDeclaration(p)) return undefined;
  }
  return undefined;
}

function statementList(stmt: ts.Statement): readonly ts.Statement[] | undefined {
  const p = stmt.parent;
  if (ts.isBlock(p) || ts.isSourceFile(p) || ts.isCaseClause(p) || ts.isDefaultClause(p) || ts.isModuleBlock(p)) return p.statements;
  return undefined;
}

/**
 * Inserts statements so that they run before `n`: before the statement that holds it (above its own
 * leading comments), or, in a concise arrow body, by turning the body into a block that returns it.
 * `uses` are the identifiers the inserted code reads: each must mean the same there as at `n`. When
 * `keys` (the values the inserted check reads) are read by an earlier statement of the same block,
 * the check moves up to the first of them, so that several findings on one value get one identical check.
 */
export function insertBefore(ctx: FixContext, n: ts.Node, lines: string[], uses: ts.Identifier[], keys: ts.Expression[] = []): TextEdit[] | undefined {
  const site = siteOf(n);
  if (!site) return undefined;
  const eol = ctx.style.eol;
  const sf = ctx.sf;
  if (site.kind === 'arrow') {
    const { arrow, body } = site;
    const base = lineIndent(sf, arrow.getStart(sf));
    const inner = base + ctx.style.indent;
    const arrowTok = arrow.equalsGreaterThanToken;
    const bodyText = sf.text.slice(body.getStart(sf), body.getEnd());
    const text = ` {${eol}${lines.map((l) => inner + l).join(eol)}${eol}${inner}return ${bodyText}${semi(ctx)}${eol}${base}}`;
    return [{ file: ctx.file, startOffset: arrowTok.getEnd(), endOffset: body.getEnd(), text }];
  }
  let stmt = site.stmt;
  const list = statementList(stmt);
  const decls = uses.map((u) => resolveName(u)).filter((d): d is ts.Identifier => !!d);
  if (list && keys.length) {
    const idx = list.indexOf(stmt);
    for (let i = 0; i < idx; i++) {
      const s = list[i];
      // not before (or in) the statement that declares a value the check reads
      if (decls.some((d) => within(d, s) || !declaredBefore(d, s))) continue;
      // an existing check (`if (bad(x)) throw …`) stays first
      if (ts.isIfStatement(s) && exits(s.thenStatement)) continue;
      if (keys.some((k) => readsKey(s, k))) {
        stmt = s;
        break;
      }
    }
  }
  // the inserted code must see the same bindings as the use site
  for (const u of uses) if (resolveNameFrom(u.text, stmt) !== resolveName(u)) return undefined;
  const at = leadingCommentStart(sf, stmt);
  const indent = lineIndent(sf, stmt.getStart(sf));
  const text = lines.join(eol + indent) + eol + indent;
  return [insertAt(ctx, at, text)];
}

/** Whether a statement reads the same key (`command`, `args.path`) as `key`. */
function readsKey(s: ts.Node, key: ts.Expression): boolean {
  const k = skip(key);
  const text = k.getText();
  const root = keyRoot(k);
  const decl = root ? resolveName(root) : undefined;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || n === k) return;
    if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n)) && n.getText() === text) {
      const r = keyRoot(n as ts.Expression);
      if (!(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) && (r ? resolveName(r) === decl : !decl)) {
        found = true;
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(s);
  return found;
}

function exits(s: ts.Statement): boolean {
  if (ts.isThrowStatement(s) || ts.isReturnStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && exits(s.statements[s.statements.length - 1]);
  return false;
}

function declaredBefore(d: ts.Identifier, s: ts.Statement): boolean {
  return d.getEnd() <= s.getStart();
}

/** The start of a statement's own leading comments when they stand on their own lines, else the statement's start. */
function leadingCommentStart(sf: ts.SourceFile, stmt: ts.Statement): number {
  const start = stmt.getStart(sf);
  const ranges = ts.getLeadingCommentRanges(sf.text, stmt.getFullStart()) ?? [];
  for (const r of ranges) {
    const ls = lineStart(sf, r.pos);
    if (/^[ \t]*$/.test(sf.text.slice(ls, r.pos)) && startsLine(sf, stmt)) return r.pos;
  }
  return start;
}

/** `if (!LIST.includes(value)) throw new Error('…');` */
export function throwUnless(ctx: FixContext, cond: string, message: string): string {
  return `if (${cond}) throw new Error(${quote(message, ctx.style)})${semi(ctx)}`;
}

// ───────────────────────────── names ─────────────────────────────

/** The first candidate name that is not bound where the code goes (nor a global the code may mean). */
export function freeName(_ctx: FixContext, at: ts.Node, candidates: string[]): string {
  const taken = (name: string) => !!resolveNameFrom(name, at) || GLOBALS.has(name);
  for (const c of candidates) if (!taken(c)) return c;
  const base = candidates[0];
  for (let i = 2; ; i++) if (!taken(`${base}${/[A-Z_]$/.test(base) ? '_' : ''}${i}`)) return `${base}${/[A-Z_]$/.test(base) ? '_' : ''}${i}`;
}

const GLOBALS = new Set(['URL', 'process', 'Buffer', 'fetch', 'require', 'module', 'exports', 'window', 'document', 'name', 'length', 'status', 'event', 'top', 'parent', 'self', 'crypto', 'console']);

// ───────────────────────────── modules ─────────────────────────────

export interface Binding {
  specifier: string;
  /** `default`, `*` or the export name. */
  name: string;
}

/** The import (or require) an identifier is bound to in this file. */
export function bindingOf(ctx: FixContext, id: ts.Identifier): Binding | undefined {
  const d = resolveName(id);
  if (!d) return undefined;
  const imp = ctx.mod.imports.get(d);
  if (imp) return imp;
  // const x = require('m') / const { a: x } = require('m')
  let p: ts.Node = d.parent;
  let name = '*';
  if (ts.isBindingElement(p)) {
    name = p.propertyName && ts.isIdentifier(p.propertyName) ? p.propertyName.text : d.text;
    p = p.parent.parent;
  }
  if (ts.isVariableDeclaration(p) && p.initializer) {
    const init = skip(p.initializer);
    const spec = requireSpecifier(init);
    if (spec) return { specifier: spec, name };
    // const x = require('m').y
    if (ts.isPropertyAccessExpression(init) && name === '*') {
      const s = requireSpecifier(skip(init.expression));
      if (s) return { specifier: s, name: init.name.text };
    }
  }
  return undefined;
}

function requireSpecifier(e: ts.Expression): string | undefined {
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0])) return e.arguments[0].text;
  return undefined;
}

/** What a callee refers to: `exec` (named import), `cp.exec` (namespace or default import) → the module and export. */
export function calleeBinding(ctx: FixContext, call: ts.CallExpression | ts.NewExpression): (Binding & { via?: ts.Identifier }) | undefined {
  const c = skip(call.expression);
  if (ts.isIdentifier(c)) return bindingOf(ctx, c);
  if (ts.isPropertyAccessExpression(c)) {
    const base = skip(c.expression);
    if (ts.isIdentifier(base)) {
      const b = bindingOf(ctx, base);
      if (b && (b.name === '*' || b.name === 'default')) return { specifier: b.specifier, name: c.name.text, via: base };
    }
    // require('child_process').exec
    const s = requireSpecifier(base);
    if (s) return { specifier: s, name: c.name.text };
  }
  return undefined;
}

/** The specifier spelling the file uses for Node built-ins (`node:fs` or `fs`). */
export function builtin(ctx: FixContext, name: string): string {
  const specs = [...ctx.mod.specifiers];
  if (specs.includes(name)) return name;
  if (specs.includes(`node:${name}`)) return `node:${name}`;
  if (specs.some((s) => s.startsWith('node:'))) return `node:${name}`;
  const BUILTINS = /^(fs|fs\/promises|path|child_process|crypto|http|https|os|util|stream|url|vm|net|readline)$/;
  if (specs.some((s) => BUILTINS.test(s))) return name;
  return `node:${name}`;
}

/**
 * A local name for a module's default export (or the module object), usable at `at`: an existing
 * default, namespace or `require` binding, else a new import in the file's module system.
 */
export function moduleObject(ctx: FixContext, at: ts.Node, specifiers: string[], candidates: string[], spelling: string): { name: string; edits: TextEdit[] } {
  const sf = ctx.sf;
  let namedDecl: ts.ImportDeclaration | undefined;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && specifiers.includes(st.moduleSpecifier.text) && !st.importClause?.isTypeOnly) {
      const c = st.importClause;
      const ids: ts.Identifier[] = [];
      if (c?.name) ids.push(c.name);
      if (c?.namedBindings && ts.isNamespaceImport(c.namedBindings)) ids.push(c.namedBindings.name);
      for (const id of ids) if (resolveNameFrom(id.text, at) === id) return { name: id.text, edits: [] };
      if (c && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings)) namedDecl = st;
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference) && ts.isStringLiteral(st.moduleReference.expression) && specifiers.includes(st.moduleReference.expression.text)) {
      if (resolveNameFrom(st.name.text, at) === st.name) return { name: st.name.text, edits: [] };
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        const spec = d.initializer ? requireSpecifier(skip(d.initializer)) : undefined;
        if (spec && specifiers.includes(spec) && ts.isIdentifier(d.name) && resolveNameFrom(d.name.text, at) === d.name) return { name: d.name.text, edits: [] };
      }
    }
  }
  const name = freeName(ctx, at, candidates);
  if (namedDecl && ctx.style.module === 'esm') {
    const at0 = namedDecl.importClause!.getStart(sf);
    return { name, edits: [insertAt(ctx, at0, `${name}, `)] };
  }
  const spec = quote(spelling, ctx.style);
  const line = ctx.style.module === 'cjs' ? `const ${name} = ${'require(' + spec + ')'}${semi(ctx)}` : `import ${name} from ${spec}${semi(ctx)}`;
  return { name, edits: [importLine(ctx, line)] };
}

/** Inserts a whole import (or require) line after the file's last import, after directives, or at the top. */
export function importLine(ctx: FixContext, line: string): TextEdit {
  const sf = ctx.sf;
  const eol = ctx.style.eol;
  let lastImportEnd = -1;
  let prologueEnd = -1;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st) || isRequireStatement(st)) lastImportEnd = st.getEnd();
    else if (lastImportEnd < 0 && ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression)) prologueEnd = st.getEnd();
    else break;
  }
  if (lastImportEnd >= 0) return insertAt(ctx, lastImportEnd, eol + line);
  if (prologueEnd >= 0) return insertAt(ctx, prologueEnd, eol + line);
  const first = sf.statements[0];
  const start = first ? leadingCommentStartAfterHeader(sf, first) : 0;
  return insertAt(ctx, start, line + eol + (first ? eol : ''));
}

/** The first statement's start, keeping a file header comment (a comment block followed by a blank line) above the import. */
function leadingCommentStartAfterHeader(sf: ts.SourceFile, first: ts.Statement): number {
  const start = first.getStart(sf);
  const ranges = ts.getLeadingCommentRanges(sf.text, first.getFullStart()) ?? [];
  // comments directly attached to the statement (no blank line between) stay with it
  let at = start;
  for (let i = ranges.length - 1; i >= 0; i--) {
    const between = sf.text.slice(ranges[i].end, at);
    if (/\n[ \t]*\r?\n/.test(between)) break;
    at = ranges[i].pos;
  }
  return at === 0 && ranges.length && ranges[0].pos === 0 ? start : at;
}

function isRequireStatement(st: ts.Statement): boolean {
  if (!ts.isVariableStatement(st)) return false;
  return st.declarationList.declarations.every((d) => {
    if (!d.initializer) return false;
    let e = skip(d.initializer);
    if (ts.isPropertyAccessExpression(e)) e = skip(e.expression);
    return !!requireSpecifier(e);
  });
}

// ───────────────────────────── constant folding ─────────────────────────────

/** The string an expression always evaluates to, following `const` declarations and constant objects in this file. */
export function constText(e: ts.Expression | undefined, depth = 0): string | undefined {
  if (!e || depth > 8) return undefined;
  const x = skip(e);
  if (ts.isStringLiteralLike(x)) return x.text;
  if (ts.isTemplateExpression(x)) {
    let out = x.head.text;
    for (const s of x.templateSpans) {
      const v = constText(s.expression, depth + 1);
      if (v === undefined) return undefined;
      out += v + s.literal.text;
    }
    return out;
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = constText(x.left, depth + 1);
    const r = l === undefined ? undefined : constText(x.right, depth + 1);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  const init = constInit(x);
  if (init) return constText(init, depth + 1);
  return undefined;
}

/** The initializer behind a `const` identifier or a property of a constant object literal in this file. */
export function constInit(x: ts.Expression): ts.Expression | undefined {
  if (ts.isIdentifier(x)) {
    const d = resolveName(x);
    const vd = d?.parent;
    if (vd && ts.isVariableDeclaration(vd) && vd.name === d && vd.initializer && ts.isVariableDeclarationList(vd.parent) && vd.parent.flags & ts.NodeFlags.Const) return vd.initializer;
    return undefined;
  }
  if (ts.isPropertyAccessExpression(x)) {
    const base = skip(x.expression);
    const obj = ts.isObjectLiteralExpression(base) ? base : ts.isIdentifier(base) || ts.isPropertyAccessExpression(base) ? constInit(base) : undefined;
    const o = obj && skip(obj);
    if (o && ts.isObjectLiteralExpression(o)) {
      const p = findProp(o, x.name.text);
      return p ? propValue(p) : undefined;
    }
  }
  return undefined;
}
