/**
 * The file's own style, so inserted code looks like the code around it: quotes, semicolons,
 * indentation, line endings and module system (ESM imports or CommonJS require).
 */
import { ts } from 'ts-morph';
import { T } from '../facts/typescript';
import type { TextEdit } from '../engine/types';

export interface Style {
  quote: "'" | '"';
  semi: boolean;
  /** One level of indentation. */
  indent: string;
  eol: string;
  module: 'esm' | 'cjs';
}

/** Inserted CommonJS code calls this (written as data, never called here). */
const REQUIRE = 'require';

const STYLE_SAMPLE = 400;
const STYLE_SAMPLE_CHARS = 40_000;

export function detectStyle(sf: ts.SourceFile): Style {
  const text = sf.text;
  let single = 0;
  let double = 0;
  let withSemi = 0;
  let withoutSemi = 0;
  let esm = 0;
  let cjs = 0;
  // a sample is enough to tell a style: the first few hundred strings and statements (a bounded cost on big files)
  let seen = 0;
  const visit = (n: ts.Node): void => {
    if (seen > STYLE_SAMPLE) return;
    if (T.isStringLiteral(n) && !T.isJsxAttribute(n.parent)) {
      seen++;
      if (text.charCodeAt(n.getStart(sf)) === 39) single++;
      else double++;
    }
    if (T.isImportDeclaration(n) || T.isExportDeclaration(n)) esm++;
    if (T.isCallExpression(n) && T.isIdentifier(n.expression) && n.expression.text === 'require' && n.arguments.length === 1) cjs++;
    if (T.isVariableStatement(n) || T.isExpressionStatement(n) || T.isReturnStatement(n) || T.isImportDeclaration(n)) {
      seen++;
      if (text.charCodeAt(n.getEnd() - 1) === 59) withSemi++;
      else withoutSemi++;
    }
    T.forEachChild(n, visit);
  };
  visit(sf);
  const indents = new Map<string, number>();
  let prev = 0;
  for (const line of text.slice(0, STYLE_SAMPLE_CHARS).split(/\r?\n/)) {
    const m = /^[ \t]*/.exec(line)![0];
    if (line.trim() === '') continue;
    if (m.length > prev && m.startsWith('\t') === false) {
      const step = m.length - prev;
      if (step > 0 && step <= 8) indents.set(' '.repeat(step), (indents.get(' '.repeat(step)) ?? 0) + 1);
    } else if (m.startsWith('\t') && m.length > prev) indents.set('\t', (indents.get('\t') ?? 0) + 1);
    prev = m.length;
  }
  const indent = [...indents].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '  ';
  const ext = sf.fileName.toLowerCase();
  const module: Style['module'] = ext.endsWith('.cjs') || ext.endsWith('.cts') ? 'cjs' : ext.endsWith('.mjs') || ext.endsWith('.mts') ? 'esm' : cjs > 0 && esm === 0 ? 'cjs' : 'esm';
  return {
    quote: double > single ? '"' : "'",
    semi: withSemi >= withoutSemi,
    indent,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    module,
  };
}

/** A string literal in the file's quote style. */
export function quote(s: string, style: Style): string {
  const q = style.quote;
  return q + s.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), '\\' + q).replace(/\n/g, '\\n') + q;
}

/** The leading whitespace of the line a position is on. */
export function lineIndent(sf: ts.SourceFile, pos: number): string {
  const text = sf.text;
  let start = pos;
  while (start > 0 && text[start - 1] !== '\n') start--;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Start of the line a position is on. */
export function lineStart(sf: ts.SourceFile, pos: number): number {
  let start = pos;
  while (start > 0 && sf.text[start - 1] !== '\n') start--;
  return start;
}

/**
 * An edit that makes `names` importable from `specifier`: nothing when they already are, an added
 * specifier in an existing named import, or a new import (or require) after the last one.
 */
export function ensureImport(sf: ts.SourceFile, file: string, specifier: string, names: string[], style: Style): TextEdit[] {
  const missing = names.filter((n) => !isImported(sf, specifier, n));
  if (missing.length === 0) return [];
  const semi = style.semi ? ';' : '';
  let lastImportEnd = -1;
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      lastImportEnd = st.getEnd();
      const spec = (st.moduleSpecifier as ts.StringLiteral).text;
      const nb = st.importClause?.namedBindings;
      if (spec === specifier && nb && ts.isNamedImports(nb) && !st.importClause?.isTypeOnly) {
        const last = nb.elements[nb.elements.length - 1];
        if (last) return [{ file, startOffset: last.getEnd(), endOffset: last.getEnd(), text: `, ${missing.join(', ')}` }];
        return [{ file, startOffset: nb.getStart(sf) + 1, endOffset: nb.getEnd() - 1, text: ` ${missing.join(', ')} ` }];
      }
    } else if (isRequireStatement(st)) {
      lastImportEnd = st.getEnd();
      const decl = st.declarationList.declarations[0];
      const call = decl.initializer as ts.CallExpression;
      if ((call.arguments[0] as ts.StringLiteral).text === specifier && ts.isObjectBindingPattern(decl.name)) {
        const last = decl.name.elements[decl.name.elements.length - 1];
        if (last) return [{ file, startOffset: last.getEnd(), endOffset: last.getEnd(), text: `, ${missing.join(', ')}` }];
      }
    } else if (lastImportEnd >= 0 || !isPrologue(st)) break;
  }
  const line = style.module === 'cjs'
    ? `const { ${missing.join(', ')} } = ${REQUIRE}(${quote(specifier, style)})${semi}`
    : `import { ${missing.join(', ')} } from ${quote(specifier, style)}${semi}`;
  if (lastImportEnd >= 0) return [{ file, startOffset: lastImportEnd, endOffset: lastImportEnd, text: style.eol + line }];
  // after a shebang, 'use strict' / 'use client' directives and leading comments
  let at = 0;
  for (const st of sf.statements) {
    if (isPrologue(st)) at = st.getEnd();
    else break;
  }
  if (at > 0) return [{ file, startOffset: at, endOffset: at, text: style.eol + line }];
  const first = sf.statements[0];
  const start = first ? first.getStart(sf) : 0;
  return [{ file, startOffset: start, endOffset: start, text: line + style.eol + (first ? style.eol : '') }];
}

/** Whether a name is bound by an import (or require) of the specifier. */
export function isImported(sf: ts.SourceFile, specifier: string, name: string): boolean {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && (st.moduleSpecifier as ts.StringLiteral).text === specifier) {
      const nb = st.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === name && !e.isTypeOnly) && !st.importClause?.isTypeOnly) return true;
    }
    if (isRequireStatement(st)) {
      const decl = st.declarationList.declarations[0];
      if ((( decl.initializer as ts.CallExpression).arguments[0] as ts.StringLiteral).text === specifier && ts.isObjectBindingPattern(decl.name) && decl.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name)) return true;
    }
  }
  return false;
}

/** The local name under which an export of a package is imported in this file, if any. */
export function importedName(sf: ts.SourceFile, specifiers: string[], name: string): string | undefined {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && specifiers.includes((st.moduleSpecifier as ts.StringLiteral).text) && !st.importClause?.isTypeOnly) {
      const nb = st.importClause?.namedBindings;
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) if ((e.propertyName ?? e.name).text === name && !e.isTypeOnly) return e.name.text;
    }
    if (isRequireStatement(st)) {
      const decl = st.declarationList.declarations[0];
      if (specifiers.includes(((decl.initializer as ts.CallExpression).arguments[0] as ts.StringLiteral).text) && ts.isObjectBindingPattern(decl.name))
        for (const e of decl.name.elements)
          if (ts.isIdentifier(e.name) && ((e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : e.name.text) === name)) return e.name.text;
    }
  }
  return undefined;
}

function isRequireStatement(st: ts.Statement): st is ts.VariableStatement {
  if (!ts.isVariableStatement(st) || st.declarationList.declarations.length !== 1) return false;
  const init = st.declarationList.declarations[0].initializer;
  return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments.length === 1 && ts.isStringLiteral(init.arguments[0]);
}

function isPrologue(st: ts.Statement): boolean {
  return ts.isExpressionStatement(st) && ts.isStringLiteral(st.expression);
}
