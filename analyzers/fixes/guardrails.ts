/**
 * Suggestion for `prompt-injection` on an OpenAI client the file creates itself: create it with
 * `@openai/guardrails` instead (`GuardrailsOpenAI.create` with input guardrails), so every request
 * is checked for jailbreaks before it reaches the model. Offered only when the project already
 * depends on `@openai/guardrails` and the module can await at the top level (ES modules).
 */
import { ts } from 'ts-morph';
import type { Fix } from '../engine/types';
import { resolveName } from '../facts/scope';
import type { FixContext } from './context';
import { ensureImport, importedName, quote } from './style';

const PACKAGE = '@openai/guardrails';

export function guardrailsClientFix(ctx: FixContext): Fix[] {
  if (ctx.category !== 'prompt-injection' || !ctx.dependencies.has(PACKAGE) || ctx.style.module !== 'esm') return [];
  if (!/\.(ts|mts|tsx|mjs)$/.test(ctx.file)) return [];
  const call = enclosingCall(ctx.node);
  if (!call) return [];
  // client.chat.completions.create / client.responses.create
  let recv: ts.Expression = call.expression;
  const chain: string[] = [];
  while (ts.isPropertyAccessExpression(recv)) {
    chain.unshift(recv.name.text);
    recv = recv.expression;
  }
  const path = chain.join('.');
  if (!ts.isIdentifier(recv) || !['chat.completions.create', 'responses.create', 'chat.completions.stream', 'responses.stream'].includes(path)) return [];
  const decl = resolveName(recv);
  const vd = decl?.parent;
  if (!vd || !ts.isVariableDeclaration(vd) || !vd.initializer || !ts.isNewExpression(vd.initializer)) return [];
  const stmt = vd.parent.parent;
  if (!ts.isVariableStatement(stmt) || !ts.isSourceFile(stmt.parent)) return [];
  const ctor = vd.initializer;
  const openaiName = importedName(ctx.sf, ['openai'], 'default') ?? defaultImportName(ctx.sf, 'openai');
  if (!ts.isIdentifier(ctor.expression) || ctor.expression.text !== openaiName) return [];
  const q = (s: string) => quote(s, ctx.style);
  const local = importedName(ctx.sf, [PACKAGE], 'GuardrailsOpenAI') ?? 'GuardrailsOpenAI';
  const config = `{ version: 1, input: { version: 1, guardrails: [{ name: ${q('Jailbreak')}, config: { model: ${q('gpt-4.1-mini')}, confidence_threshold: 0.7 } }] } }`;
  const args = ctor.arguments?.length ? `, ${ctor.arguments.map((a) => a.getText(ctx.sf)).join(', ')}` : '';
  const edits = [{ file: ctx.file, startOffset: ctor.getStart(ctx.sf), endOffset: ctor.getEnd(), text: `await ${local}.create(${config}${args})` }];
  // the default import of `openai` is no longer used: the guardrails import takes its place
  const imp = ctx.sf.statements.find((st): st is ts.ImportDeclaration => ts.isImportDeclaration(st) && (st.moduleSpecifier as ts.StringLiteral).text === 'openai' && !!st.importClause?.name && !st.importClause.namedBindings);
  const needsImport = !importedName(ctx.sf, [PACKAGE], 'GuardrailsOpenAI');
  if (imp && needsImport && references(ctx.sf, openaiName) === 1)
    edits.push({ file: ctx.file, startOffset: imp.getStart(ctx.sf), endOffset: imp.getEnd(), text: `import { GuardrailsOpenAI } from ${q(PACKAGE)}${ctx.style.semi ? ';' : ''}` });
  else edits.push(...ensureImport(ctx.sf, ctx.file, PACKAGE, ['GuardrailsOpenAI'], ctx.style));
  return [
    {
      description: `Create \`${recv.text}\` with @openai/guardrails (input guardrails check every request; a tripped check throws GuardrailTripwireTriggered)`,
      kind: 'suggestion',
      edits,
    },
  ];
}

function enclosingCall(n: ts.Node): ts.CallExpression | undefined {
  for (let c: ts.Node | undefined = n; c; c = c.parent) {
    if (ts.isCallExpression(c) && ts.isPropertyAccessExpression(c.expression) && /^(create|stream)$/.test(c.expression.name.text)) return c;
    if (ts.isFunctionLike(c)) return undefined;
  }
  return undefined;
}

/** Uses of a name outside import declarations. */
function references(sf: ts.SourceFile, name: string): number {
  let n = 0;
  const visit = (c: ts.Node): void => {
    if (ts.isImportDeclaration(c)) return;
    if (ts.isIdentifier(c) && c.text === name) n++;
    ts.forEachChild(c, visit);
  };
  visit(sf);
  return n;
}

function defaultImportName(sf: ts.SourceFile, spec: string): string | undefined {
  for (const st of sf.statements)
    if (ts.isImportDeclaration(st) && (st.moduleSpecifier as ts.StringLiteral).text === spec && st.importClause?.name) return st.importClause.name.text;
  return undefined;
}
