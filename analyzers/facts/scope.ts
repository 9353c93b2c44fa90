/**
 * Name resolution over one file's syntax tree, without the type checker: maps an identifier to the
 * node that declares it, following JavaScript's scoping (function-scoped `var`, block-scoped
 * `let`/`const`/`class`, parameters, catch bindings, hoisted function declarations, imports).
 */
import { ts } from 'ts-morph';

export type Decl = ts.Identifier; // the declaring identifier (binding name)

const scopeCache = new WeakMap<ts.Node, Map<string, Decl>>();

function isFunctionScope(n: ts.Node): n is ts.SignatureDeclaration & { body?: ts.Node } {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n)
  );
}

export function isScopeNode(n: ts.Node): boolean {
  return (
    ts.isSourceFile(n) ||
    isFunctionScope(n) ||
    (ts.isBlock(n) && !isFunctionScope(n.parent)) ||
    ts.isForStatement(n) ||
    ts.isForOfStatement(n) ||
    ts.isForInStatement(n) ||
    ts.isCatchClause(n) ||
    ts.isCaseBlock(n) ||
    ts.isClassExpression(n) ||
    ts.isModuleBlock(n)
  );
}

export function bindingNames(name: ts.BindingName, out: Decl[] = []): Decl[] {
  if (ts.isIdentifier(name)) out.push(name);
  else
    for (const el of name.elements) {
      if (ts.isBindingElement(el)) bindingNames(el.name, out);
    }
  return out;
}

function addVarList(list: ts.VariableDeclarationList, map: Map<string, Decl>): void {
  for (const d of list.declarations) for (const id of bindingNames(d.name)) if (!map.has(id.text)) map.set(id.text, id);
}

function collectStatementDecls(stmts: readonly ts.Statement[], map: Map<string, Decl>, includeVar: boolean): void {
  for (const s of stmts) {
    if (ts.isVariableStatement(s)) {
      const isVar = !(s.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using));
      if (!isVar || includeVar) addVarList(s.declarationList, map);
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) {
      if (!map.has(s.name.text)) map.set(s.name.text, s.name);
    } else if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) map.set(c.name.text, c.name);
      if (c.namedBindings) {
        if (ts.isNamespaceImport(c.namedBindings)) map.set(c.namedBindings.name.text, c.namedBindings.name);
        else for (const el of c.namedBindings.elements) map.set(el.name.text, el.name);
      }
    } else if (ts.isImportEqualsDeclaration(s)) {
      map.set(s.name.text, s.name);
    } else if (ts.isModuleDeclaration(s) && ts.isIdentifier(s.name)) {
      if (!map.has(s.name.text)) map.set(s.name.text, s.name);
    }
  }
}

/** `var` declarations anywhere in a function body (not inside nested functions). */
function collectHoistedVars(node: ts.Node, map: Map<string, Decl>): void {
  const visit = (n: ts.Node): void => {
    if (isFunctionScope(n) || ts.isClassLike(n)) return;
    if (ts.isVariableDeclarationList(n) && !(n.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using))) addVarList(n, map);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
}

export function scopeDecls(scope: ts.Node): Map<string, Decl> {
  let map = scopeCache.get(scope);
  if (map) return map;
  map = new Map();
  if (ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
    collectStatementDecls(scope.statements, map, true);
    collectHoistedVars(scope, map);
  } else if (isFunctionScope(scope)) {
    for (const p of scope.parameters) for (const id of bindingNames(p.name)) map.set(id.text, id);
    if ((ts.isFunctionExpression(scope) || ts.isFunctionDeclaration(scope)) && scope.name && !map.has(scope.name.text) && ts.isFunctionExpression(scope))
      map.set(scope.name.text, scope.name);
    const body = scope.body;
    if (body && ts.isBlock(body)) {
      collectStatementDecls(body.statements, map, true);
      collectHoistedVars(body, map);
    }
  } else if (ts.isBlock(scope)) {
    collectStatementDecls(scope.statements, map, false);
  } else if (ts.isCaseBlock(scope)) {
    for (const c of scope.clauses) collectStatementDecls(c.statements, map, false);
  } else if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
    const init = scope.initializer;
    if (init && ts.isVariableDeclarationList(init)) addVarList(init, map);
  } else if (ts.isCatchClause(scope)) {
    if (scope.variableDeclaration) for (const id of bindingNames(scope.variableDeclaration.name)) map.set(id.text, id);
  } else if (ts.isClassExpression(scope) && scope.name) {
    map.set(scope.name.text, scope.name);
  }
  scopeCache.set(scope, map);
  return map;
}

/** Resolves an identifier reference to its declaring identifier in this file, or undefined (global). */
export function resolveName(id: ts.Identifier): Decl | undefined {
  return resolveNameFrom(id.text, id.parent);
}

export function resolveNameFrom(name: string, from: ts.Node | undefined): Decl | undefined {
  for (let n = from; n; n = n.parent) {
    if (isScopeNode(n)) {
      const d = scopeDecls(n).get(name);
      if (d) return d;
    }
  }
  return undefined;
}

/** The function-like node whose body contains `n` (or the source file). */
export function enclosingFunction(n: ts.Node): ts.SignatureDeclaration | ts.SourceFile {
  for (let p = n.parent; p; p = p.parent) {
    if (isFunctionScope(p)) return p;
    if (ts.isSourceFile(p)) return p;
  }
  return n.getSourceFile();
}

export { isFunctionScope };
