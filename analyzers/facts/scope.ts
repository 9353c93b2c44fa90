/**
 * Name resolution over one file's syntax tree, without the type checker: maps an identifier to the
 * node that declares it, following JavaScript's scoping (function-scoped `var`, block-scoped
 * `let`/`const`/`class`, parameters, catch bindings, hoisted function declarations, imports).
 */
import { ts } from 'ts-morph';

import { T } from './typescript';

export type Decl = ts.Identifier; // the declaring identifier (binding name)

const scopeCache = new WeakMap<ts.Node, Map<string, Decl>>();

const FUNCTION_SCOPE_KINDS = new Set<ts.SyntaxKind>([
  T.SyntaxKind.FunctionDeclaration,
  T.SyntaxKind.FunctionExpression,
  T.SyntaxKind.ArrowFunction,
  T.SyntaxKind.MethodDeclaration,
  T.SyntaxKind.Constructor,
  T.SyntaxKind.GetAccessor,
  T.SyntaxKind.SetAccessor,
]);

/** Kinds that always open a scope (blocks do unless they are a function's body). */
const SCOPE_KINDS = new Set<ts.SyntaxKind>([
  ...FUNCTION_SCOPE_KINDS,
  T.SyntaxKind.SourceFile,
  T.SyntaxKind.ForStatement,
  T.SyntaxKind.ForOfStatement,
  T.SyntaxKind.ForInStatement,
  T.SyntaxKind.CatchClause,
  T.SyntaxKind.CaseBlock,
  T.SyntaxKind.ClassExpression,
  T.SyntaxKind.ModuleBlock,
]);

function isFunctionScope(n: ts.Node): n is ts.SignatureDeclaration & { body?: ts.Node } {
  return FUNCTION_SCOPE_KINDS.has(n.kind);
}

export function isScopeNode(n: ts.Node): boolean {
  if (n.kind === T.SyntaxKind.Block) return !FUNCTION_SCOPE_KINDS.has(n.parent.kind);
  return SCOPE_KINDS.has(n.kind);
}

export function bindingNames(name: ts.BindingName, out: Decl[] = []): Decl[] {
  if (T.isIdentifier(name)) out.push(name);
  else
    for (const el of name.elements) {
      if (T.isBindingElement(el)) bindingNames(el.name, out);
    }
  return out;
}

function addVarList(list: ts.VariableDeclarationList, map: Map<string, Decl>): void {
  for (const d of list.declarations) for (const id of bindingNames(d.name)) if (!map.has(id.text)) map.set(id.text, id);
}

function collectStatementDecls(stmts: readonly ts.Statement[], map: Map<string, Decl>, includeVar: boolean): void {
  for (const s of stmts) {
    if (T.isVariableStatement(s)) {
      const isVar = !(s.declarationList.flags & (T.NodeFlags.Let | T.NodeFlags.Const | T.NodeFlags.Using));
      if (!isVar || includeVar) addVarList(s.declarationList, map);
    } else if ((T.isFunctionDeclaration(s) || T.isClassDeclaration(s) || T.isEnumDeclaration(s)) && s.name) {
      if (!map.has(s.name.text)) map.set(s.name.text, s.name);
    } else if (T.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name) map.set(c.name.text, c.name);
      if (c.namedBindings) {
        if (T.isNamespaceImport(c.namedBindings)) map.set(c.namedBindings.name.text, c.namedBindings.name);
        else for (const el of c.namedBindings.elements) map.set(el.name.text, el.name);
      }
    } else if (T.isImportEqualsDeclaration(s)) {
      map.set(s.name.text, s.name);
    } else if (T.isModuleDeclaration(s) && T.isIdentifier(s.name)) {
      if (!map.has(s.name.text)) map.set(s.name.text, s.name);
    }
  }
}

/** `var` declarations anywhere in a function body (not inside nested functions). */
function collectHoistedVars(node: ts.Node, map: Map<string, Decl>): void {
  const visit = (n: ts.Node): void => {
    if (isFunctionScope(n) || T.isClassLike(n)) return;
    if (T.isVariableDeclarationList(n) && !(n.flags & (T.NodeFlags.Let | T.NodeFlags.Const | T.NodeFlags.Using))) addVarList(n, map);
    T.forEachChild(n, visit);
  };
  T.forEachChild(node, visit);
}

export function scopeDecls(scope: ts.Node): Map<string, Decl> {
  let map = scopeCache.get(scope);
  if (map) return map;
  map = new Map();
  if (T.isSourceFile(scope) || T.isModuleBlock(scope)) {
    collectStatementDecls(scope.statements, map, true);
    collectHoistedVars(scope, map);
  } else if (isFunctionScope(scope)) {
    for (const p of scope.parameters) for (const id of bindingNames(p.name)) map.set(id.text, id);
    if ((T.isFunctionExpression(scope) || T.isFunctionDeclaration(scope)) && scope.name && !map.has(scope.name.text) && T.isFunctionExpression(scope))
      map.set(scope.name.text, scope.name);
    const body = scope.body;
    if (body && T.isBlock(body)) {
      collectStatementDecls(body.statements, map, true);
      collectHoistedVars(body, map);
    }
  } else if (T.isBlock(scope)) {
    collectStatementDecls(scope.statements, map, false);
  } else if (T.isCaseBlock(scope)) {
    for (const c of scope.clauses) collectStatementDecls(c.statements, map, false);
  } else if (T.isForStatement(scope) || T.isForOfStatement(scope) || T.isForInStatement(scope)) {
    const init = scope.initializer;
    if (init && T.isVariableDeclarationList(init)) addVarList(init, map);
  } else if (T.isCatchClause(scope)) {
    if (scope.variableDeclaration) for (const id of bindingNames(scope.variableDeclaration.name)) map.set(id.text, id);
  } else if (T.isClassExpression(scope) && scope.name) {
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
    if (T.isSourceFile(p)) return p;
  }
  return n.getSourceFile();
}

export { isFunctionScope };
