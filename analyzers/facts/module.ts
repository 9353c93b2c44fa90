/**
 * Per-file facts gathered in one walk: import bindings, exports (ESM and CommonJS), assignments,
 * array pushes, member assignments, call sites, and identifiers passed as call arguments.
 */
import { ts } from 'ts-morph';

import { T } from './typescript';
import { resolveName, type Decl } from './scope';

export interface ImportBinding {
  specifier: string;
  /** `default`, `*` (namespace / whole module), or the export name. */
  name: string;
}

export type ExportTarget =
  | { kind: 'local'; node: ts.Node }
  | { kind: 'reexport'; specifier: string; name: string };

export type CallLike = ts.CallExpression | ts.NewExpression;

export class ModuleInfo {
  readonly imports = new Map<Decl, ImportBinding>();
  readonly assignments = new Map<Decl, ts.Expression[]>();
  readonly pushes = new Map<Decl, ts.Expression[]>();
  readonly memberAssigns = new Map<Decl, Map<string, ts.Expression[]>>();
  readonly thisAssigns = new Map<ts.Node, Map<string, ts.Expression[]>>();
  readonly exports = new Map<string, ExportTarget>();
  readonly starExports: string[] = [];
  readonly calls: CallLike[] = [];
  readonly argUses = new Map<Decl, { call: CallLike; index: number; prop?: string }[]>();
  readonly specifiers = new Set<string>();
  /** Calls to a function declared in this file, keyed by the function's declaring node. */
  readonly localCallers = new Map<ts.Node, CallLike[]>();
  /** `x.member = value` assignments and JSX attributes (for sinks such as `innerHTML` and `dangerouslySetInnerHTML`). */
  readonly memberAssignNodes: ts.BinaryExpression[] = [];
  readonly jsxAttributes: ts.JsxAttribute[] = [];
  readonly jsxElements: (ts.JsxOpeningElement | ts.JsxSelfClosingElement)[] = [];
  useServer = false;

  constructor(
    readonly path: string,
    readonly rel: string,
    readonly sf: ts.SourceFile,
  ) {
    this.index();
  }

  private index(): void {
    const sf = this.sf;
    const first = sf.statements[0];
    if (first && T.isExpressionStatement(first) && T.isStringLiteral(first.expression) && first.expression.text === 'use server') this.useServer = true;

    for (const st of sf.statements) this.indexTopLevel(st);

    const visit = (n: ts.Node): void => {
      if (T.isCallExpression(n) || T.isNewExpression(n)) this.indexCall(n);
      else if (T.isBinaryExpression(n) && isAssignmentOp(n.operatorToken.kind)) this.indexAssignment(n);
      else if (T.isJsxAttribute(n)) this.jsxAttributes.push(n);
      else if (T.isJsxOpeningElement(n) || T.isJsxSelfClosingElement(n)) this.jsxElements.push(n);
      T.forEachChild(n, visit);
    };
    visit(sf);
  }

  private indexTopLevel(st: ts.Statement): void {
    if (T.isImportDeclaration(st) && T.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      this.specifiers.add(spec);
      const c = st.importClause;
      if (!c) return;
      if (c.name) this.imports.set(c.name, { specifier: spec, name: 'default' });
      if (c.namedBindings) {
        if (T.isNamespaceImport(c.namedBindings)) this.imports.set(c.namedBindings.name, { specifier: spec, name: '*' });
        else
          for (const el of c.namedBindings.elements)
            this.imports.set(el.name, { specifier: spec, name: (el.propertyName ?? el.name).text });
      }
    } else if (T.isImportEqualsDeclaration(st) && T.isExternalModuleReference(st.moduleReference) && T.isStringLiteral(st.moduleReference.expression)) {
      const spec = st.moduleReference.expression.text;
      this.specifiers.add(spec);
      this.imports.set(st.name, { specifier: spec, name: '*' });
    } else if (T.isExportDeclaration(st)) {
      const spec = st.moduleSpecifier && T.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : undefined;
      if (spec) this.specifiers.add(spec);
      if (!st.exportClause) {
        if (spec) this.starExports.push(spec);
      } else if (T.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const local = (el.propertyName ?? el.name).text;
          if (spec) this.exports.set(el.name.text, { kind: 'reexport', specifier: spec, name: local });
          else {
            const id = T.factory.createIdentifier(local);
            const decl = findTopLevelDecl(this.sf, local);
            this.exports.set(el.name.text, { kind: 'local', node: decl ?? id });
          }
        }
      } else if (T.isNamespaceExport(st.exportClause) && spec) {
        this.exports.set(st.exportClause.name.text, { kind: 'reexport', specifier: spec, name: '*' });
      }
    } else if (T.isExportAssignment(st)) {
      this.exports.set('default', { kind: 'local', node: st.expression });
    } else if (hasExportModifier(st)) {
      const isDefault = hasDefaultModifier(st);
      if (T.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (T.isIdentifier(d.name)) this.exports.set(d.name.text, { kind: 'local', node: d.name });
        else for (const el of bindingIds(d.name)) this.exports.set(el.text, { kind: 'local', node: el });
      } else if ((T.isFunctionDeclaration(st) || T.isClassDeclaration(st)) && (st.name || isDefault)) {
        if (st.name) this.exports.set(st.name.text, { kind: 'local', node: st.name });
        if (isDefault) this.exports.set('default', { kind: 'local', node: st.name ?? st });
      } else if (T.isEnumDeclaration(st)) this.exports.set(st.name.text, { kind: 'local', node: st.name });
    }
  }

  private indexCall(n: CallLike): void {
    this.calls.push(n);
    // require('x')
    if (T.isCallExpression(n) && T.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1 && T.isStringLiteralLike(n.arguments[0]))
      this.specifiers.add(n.arguments[0].text);
    if (T.isCallExpression(n) && n.expression.kind === T.SyntaxKind.ImportKeyword && n.arguments[0] && T.isStringLiteralLike(n.arguments[0]))
      this.specifiers.add(n.arguments[0].text);
    const callee = n.expression;
    // arr.push(x) / arr.unshift(x) / map.set(k, x) / set.add(x): the container holds x
    if (T.isCallExpression(n) && T.isPropertyAccessExpression(callee) && T.isIdentifier(callee.expression) && ['push', 'unshift', 'splice', 'set', 'add'].includes(callee.name.text)) {
      const decl = resolveName(callee.expression);
      if (decl) {
        const list = this.pushes.get(decl) ?? [];
        const m = callee.name.text;
        const args = m === 'splice' ? n.arguments.slice(2) : m === 'set' ? n.arguments.slice(1, 2) : m === 'add' ? n.arguments.slice(0, 1) : n.arguments;
        list.push(...args);
        this.pushes.set(decl, list);
      }
    }
    // identifiers passed as arguments (for callbacks passed by name)
    (n.arguments ?? []).forEach((a, index) => {
      if (T.isIdentifier(a)) {
        const decl = resolveName(a);
        if (decl) {
          const list = this.argUses.get(decl) ?? [];
          list.push({ call: n, index });
          this.argUses.set(decl, list);
        }
      } else if (T.isObjectLiteralExpression(a)) {
        // `tool({ execute: runShell })`: a named function passed as an option
        for (const p of a.properties) {
          const init = T.isPropertyAssignment(p) ? p.initializer : T.isShorthandPropertyAssignment(p) ? p.name : undefined;
          if (!init || !T.isIdentifier(init) || !p.name || !(T.isIdentifier(p.name) || T.isStringLiteral(p.name))) continue;
          const decl = resolveName(init);
          if (!decl) continue;
          const list = this.argUses.get(decl) ?? [];
          list.push({ call: n, index, prop: p.name.text });
          this.argUses.set(decl, list);
        }
      }
    });
    // local callers
    let target: ts.Expression = callee;
    while (T.isParenthesizedExpression(target)) target = target.expression;
    if (T.isIdentifier(target)) {
      const decl = resolveName(target);
      if (decl) {
        const list = this.localCallers.get(decl) ?? [];
        list.push(n);
        this.localCallers.set(decl, list);
      }
    }
  }

  private indexAssignment(n: ts.BinaryExpression): void {
    const left = skipParens(n.left);
    if (T.isIdentifier(left)) {
      const decl = resolveName(left);
      if (decl) {
        const list = this.assignments.get(decl) ?? [];
        list.push(n.right);
        this.assignments.set(decl, list);
      }
      return;
    }
    if (T.isPropertyAccessExpression(left) || T.isElementAccessExpression(left)) {
      const name = memberName(left);
      if (name === undefined) return;
      this.memberAssignNodes.push(n);
      const obj = skipParens(left.expression);
      if (obj.kind === T.SyntaxKind.ThisKeyword) {
        const cls = enclosingClass(n);
        if (!cls) return;
        const m = this.thisAssigns.get(cls) ?? new Map<string, ts.Expression[]>();
        m.set(name, [...(m.get(name) ?? []), n.right]);
        this.thisAssigns.set(cls, m);
        return;
      }
      // module.exports = … / module.exports.x = … / exports.x = …
      if (T.isIdentifier(obj) && obj.text === 'module' && name === 'exports' && !resolveName(obj)) {
        this.exports.set('default', { kind: 'local', node: n.right });
        const right = skipParens(n.right);
        if (T.isObjectLiteralExpression(right))
          for (const p of right.properties) {
            if (T.isShorthandPropertyAssignment(p)) this.exports.set(p.name.text, { kind: 'local', node: p.name });
            else if (T.isPropertyAssignment(p) && (T.isIdentifier(p.name) || T.isStringLiteral(p.name))) this.exports.set(p.name.text, { kind: 'local', node: p.initializer });
            else if (T.isMethodDeclaration(p) && T.isIdentifier(p.name)) this.exports.set(p.name.text, { kind: 'local', node: p });
          }
        return;
      }
      if (
        (T.isIdentifier(obj) && obj.text === 'exports' && !resolveName(obj)) ||
        (T.isPropertyAccessExpression(obj) && T.isIdentifier(obj.expression) && obj.expression.text === 'module' && obj.name.text === 'exports')
      ) {
        this.exports.set(name, { kind: 'local', node: n.right });
        return;
      }
      if (T.isIdentifier(obj)) {
        const decl = resolveName(obj);
        if (!decl) return;
        const m = this.memberAssigns.get(decl) ?? new Map<string, ts.Expression[]>();
        m.set(name, [...(m.get(name) ?? []), n.right]);
        this.memberAssigns.set(decl, m);
      }
    }
  }
}

export function isAssignmentOp(k: ts.SyntaxKind): boolean {
  return k >= T.SyntaxKind.FirstAssignment && k <= T.SyntaxKind.LastAssignment;
}

export function skipParens(e: ts.Expression): ts.Expression {
  for (;;) {
    if (T.isParenthesizedExpression(e) || T.isAsExpression(e) || T.isNonNullExpression(e) || T.isSatisfiesExpression(e) || T.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

export function memberName(e: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined {
  if (T.isPropertyAccessExpression(e)) return e.name.text;
  const a = e.argumentExpression;
  if (T.isStringLiteralLike(a) || T.isNumericLiteral(a)) return a.text;
  return undefined;
}

export function enclosingClass(n: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (T.isClassLike(p)) return p;
    // arrow functions keep `this`; ordinary functions rebind it
    if (T.isFunctionDeclaration(p) || T.isFunctionExpression(p)) {
      if (!p.parent || !(T.isPropertyAssignment(p.parent) || T.isClassLike(p.parent.parent ?? p.parent))) return undefined;
    }
  }
  return undefined;
}

function hasExportModifier(n: ts.Node): boolean {
  return !!(T.canHaveModifiers(n) && T.getModifiers(n)?.some((m) => m.kind === T.SyntaxKind.ExportKeyword));
}
function hasDefaultModifier(n: ts.Node): boolean {
  return !!(T.canHaveModifiers(n) && T.getModifiers(n)?.some((m) => m.kind === T.SyntaxKind.DefaultKeyword));
}
function bindingIds(name: ts.BindingName, out: ts.Identifier[] = []): ts.Identifier[] {
  if (T.isIdentifier(name)) out.push(name);
  else for (const el of name.elements) if (T.isBindingElement(el)) bindingIds(el.name, out);
  return out;
}
function findTopLevelDecl(sf: ts.SourceFile, name: string): ts.Identifier | undefined {
  for (const st of sf.statements) {
    if (T.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) for (const id of bindingIds(d.name)) if (id.text === name) return id;
    } else if ((T.isFunctionDeclaration(st) || T.isClassDeclaration(st) || T.isEnumDeclaration(st)) && st.name?.text === name) return st.name;
    else if (T.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name?.text === name) return c.name;
      if (c.namedBindings) {
        if (T.isNamespaceImport(c.namedBindings)) {
          if (c.namedBindings.name.text === name) return c.namedBindings.name;
        } else for (const el of c.namedBindings.elements) if (el.name.text === name) return el.name;
      }
    }
  }
  return undefined;
}
