/**
 * Fixes for `unpinned-model`:
 * - Hugging Face downloads (transformers.js `pipeline` / `from_pretrained`, `@huggingface/hub`
 *   downloads, `/resolve/<ref>/` URLs, node-llama-cpp `hf:` URIs) pin the commit the branch or tag
 *   points to today. The engine does no network I/O, so the edits carry a placeholder sha and a
 *   `resolve` descriptor; the CLI and the editor resolve it (analyzers/fixes/resolve.ts) or ask for it.
 * - A fixed-file URL download can instead verify a sha256 digest before the bytes are used.
 * - Ollama pulls of an untagged or `:latest` model name an explicit tag; which tag (size,
 *   quantization) is the user's choice, so the edit leaves a visible placeholder tag that Ollama rejects
 *   until it is filled in.
 */
import { ts } from 'ts-morph';
import type { Fix, FixResolve, TextEdit } from '../engine/types';
import type { FixContext } from './context';
import { addProperty, builtin, calleeBinding, calleeName, constInit, findProp, insertAt, propValue, replace, semi, siteOf, skip } from './edits';
import { ensureImport, lineIndent, quote } from './style';

/** The placeholder commit in unresolved pin edits (git's null object id: never a real commit). */
export const UNRESOLVED_SHA = '0'.repeat(40);

/** The tag an Ollama pull fix leaves for the user to choose (not a valid tag, so a pull fails until it is replaced). */
export const OLLAMA_TAG_PLACEHOLDER = '<choose-a-tag>';

const TRANSFORMERS = /^(@huggingface\/transformers|@xenova\/transformers)$/;
const HUB = /^@huggingface\/hub$/;
const HUB_DOWNLOADS = /^(downloadFile|downloadFileToCacheDir|snapshotDownload|fileDownloadInfo|downloadFiles)$/;

export function pinFixes(ctx: FixContext): Fix[] {
  const call = ctx.node;
  if (!ts.isCallExpression(call)) return [];
  const out: Fix[] = [];
  const specs = [...ctx.mod.specifiers];
  const name = calleeName(call);
  const b = calleeBinding(ctx, call);
  if (name === 'pull' && specs.some((s) => /^ollama(\/browser)?$/.test(s))) {
    const f = ollamaTag(ctx, call);
    return f ? [f] : [];
  }
  if ((b && TRANSFORMERS.test(b.specifier) && b.name === 'pipeline') || (name === 'pipeline' && !b && specs.some((s) => TRANSFORMERS.test(s)))) {
    const f = call.arguments[1] ? optionsPin(ctx, call, call.arguments[1], 2) : undefined;
    if (f) out.push(f);
  } else if ((b?.name ?? name) === 'from_pretrained' || name === 'from_pretrained') {
    const f = call.arguments[0] ? optionsPin(ctx, call, call.arguments[0], 1) : undefined;
    if (f) out.push(f);
  } else if ((b && HUB.test(b.specifier) && HUB_DOWNLOADS.test(b.name)) || (!b && HUB_DOWNLOADS.test(name) && specs.some((s) => HUB.test(s)))) {
    const f = hubPin(ctx, call);
    if (f) out.push(f);
  } else {
    const f = uriPin(ctx, call);
    if (f) out.push(f);
    const d = digestCheck(ctx, call);
    if (d) out.push(d);
  }
  return out;
}

function pinFix(_ctx: FixContext, model: string, ref: string, edits: TextEdit[], where: string): Fix {
  const resolve: FixResolve = { kind: 'hf-revision', model, ref, placeholder: UNRESOLVED_SHA };
  return {
    description: `Pin ${where} to the commit that \`${ref}\` of \`${model}\` points to now (the sha is looked up when the fix is applied)`,
    kind: 'safe',
    edits,
    resolve,
  };
}

function shaLiteral(ctx: FixContext): string {
  return quote(UNRESOLVED_SHA, ctx.style);
}

// ───────────────────────────── options objects: transformers.js and the hub ─────────────────────────────

/** The string a model reference evaluates to, or the `name` of a `{ type, name }` repo object. */
function modelId(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const x = skip(e);
  const obj = ts.isObjectLiteralExpression(x) ? x : constInit(x) && ts.isObjectLiteralExpression(skip(constInit(x)!)) ? (skip(constInit(x)!) as ts.ObjectLiteralExpression) : undefined;
  if (obj) {
    // a dataset or space repository has another API
    const type = findProp(obj, 'type');
    const t = type ? fold(propValue(type)) : 'model';
    const n = findProp(obj, 'name');
    return n && t === 'model' ? fold(propValue(n)) : undefined;
  }
  const t = fold(x) ?? (fallbackLiteral(x)?.text);
  return t && /^[\w.-]+\/[\w.-]+$/.test(t) ? t : undefined;
}

/**
 * `revision` in an options object (argument `index` of the call, after the model argument `modelArg`):
 * replaces a branch or tag, adds a missing one, or adds an options object.
 */
function optionsPin(ctx: FixContext, call: ts.CallExpression, modelArg: ts.Expression, index: number): Fix | undefined {
  const model = modelId(modelArg) ?? sinkModel(ctx);
  if (!model) return undefined;
  const sha = shaLiteral(ctx);
  const opts = call.arguments[index];
  if (!opts) {
    return pinFix(ctx, model, 'main', [insertAt(ctx, modelArg.getEnd(), `, { revision: ${sha} }`)], '`revision`');
  }
  return revisionIn(ctx, model, opts);
}

function revisionIn(ctx: FixContext, model: string, opts: ts.Expression): Fix | undefined {
  const sha = shaLiteral(ctx);
  const o = skip(opts);
  if (!ts.isObjectLiteralExpression(o)) {
    // an options variable: spread it and pin on top
    const init = constInit(o);
    const known = init && ts.isObjectLiteralExpression(skip(init)) ? (skip(init) as ts.ObjectLiteralExpression) : undefined;
    const ref = known ? refOf(findRevision(known)) : undefined;
    if (!ref) return undefined;
    return pinFix(ctx, model, ref, [replace(ctx, opts, `{ ...${opts.getText(ctx.sf)}, revision: ${sha} }`)], '`revision`');
  }
  const rev = findRevision(o);
  if (!rev) return pinFix(ctx, model, 'main', [addProperty(ctx, o, `revision: ${sha}`)], '`revision`');
  const v = propValue(rev);
  if (!v) return undefined;
  // `process.env.X ?? 'main'` (also through a const): pin the fallback, keep the configuration
  const fallback = fallbackLiteral(v);
  if (fallback) return pinFix(ctx, model, fallback.text, [replace(ctx, fallback, sha)], 'the fallback `revision`');
  const ref = refOf(rev);
  if (!ref) return undefined; // a revision read from elsewhere: which ref it names is not known here
  const edits = ts.isShorthandPropertyAssignment(rev) ? [replace(ctx, rev, `revision: ${sha}`)] : [replace(ctx, v, sha)];
  return pinFix(ctx, model, ref, edits, '`revision`');
}

/** The string literal default of `config ?? 'main'` / `config || 'main'`, directly or in a `const` of this file. */
function fallbackLiteral(e: ts.Expression, depth = 0): ts.StringLiteralLike | undefined {
  const x = skip(e);
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const r = skip(x.right);
    return ts.isStringLiteralLike(r) ? r : undefined;
  }
  const init = depth < 3 ? constInit(x) : undefined;
  return init && init.getSourceFile() === e.getSourceFile() ? fallbackLiteral(init, depth + 1) : undefined;
}

function findRevision(o: ts.ObjectLiteralExpression): ts.ObjectLiteralElementLike | undefined {
  return findProp(o, 'revision');
}

function refOf(rev: ts.ObjectLiteralElementLike | undefined): string | undefined {
  if (!rev) return 'main';
  const v = propValue(rev);
  const t = v ? fold(v) : undefined;
  return t && /^[\w./-]+$/.test(t) ? t : undefined;
}

/** `@huggingface/hub` downloads: `{ repo, path, revision }`. */
function hubPin(ctx: FixContext, call: ts.CallExpression): Fix | undefined {
  const arg = call.arguments[0];
  if (!arg) return undefined;
  const o = skip(arg);
  const obj = ts.isObjectLiteralExpression(o) ? o : undefined;
  const repo = obj ? findProp(obj, 'repo') : undefined;
  const model = modelId(repo ? propValue(repo) : undefined) ?? sinkModel(ctx);
  if (!model) return undefined;
  if (!obj) return undefined;
  return revisionIn(ctx, model, obj);
}

function sinkModel(ctx: FixContext): string | undefined {
  const m = /^`([\w.-]+\/[\w.-]+)`$/.exec(ctx.sink);
  return m?.[1];
}

// ───────────────────────────── URLs and `hf:` URIs ─────────────────────────────

/** A piece of literal source text that makes up the URI, with its offset in the file. */
interface Piece {
  text: string;
  /** Offset in the file of `text[0]`, when the text is written verbatim in the source. */
  at?: number;
}

/** The URI as pieces: literal text where it is written in this file, unknown parts as `\0`. */
function uriPieces(e: ts.Expression, sf: ts.SourceFile, depth = 0): Piece[] {
  const x = skip(e);
  if (depth > 6) return [{ text: '\u0000' }];
  if (ts.isStringLiteral(x) || ts.isNoSubstitutionTemplateLiteral(x)) {
    const raw = x.getText(sf).slice(1, -1);
    return [{ text: x.text, at: raw === x.text ? x.getStart(sf) + 1 : undefined }];
  }
  if (ts.isTemplateExpression(x)) {
    const lit = (n: ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail): Piece => {
      const start = n.getStart(sf) + 1; // after ` or }
      const raw = sf.text.slice(start, n.getEnd() - (ts.isTemplateTail(n) ? 1 : 2));
      return { text: n.text, at: raw === n.text ? start : undefined };
    };
    const out: Piece[] = [lit(x.head)];
    for (const s of x.templateSpans) out.push(...uriPieces(s.expression, sf, depth + 1), lit(s.literal));
    return out;
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) return [...uriPieces(x.left, sf, depth + 1), ...uriPieces(x.right, sf, depth + 1)];
  const init = constInit(x);
  if (init && init.getSourceFile() === sf) return uriPieces(init, sf, depth + 1);
  return [{ text: '\u0000' }];
}

/** The model URI argument of a download call. */
function uriArg(call: ts.CallExpression): ts.Expression | undefined {
  const a = call.arguments[0];
  if (!a) return undefined;
  const o = skip(a);
  if (ts.isObjectLiteralExpression(o)) {
    for (const k of ['modelUri', 'uri', 'url']) {
      const p = findProp(o, k);
      if (p) return propValue(p);
    }
    return undefined;
  }
  return a;
}

/** Pins `/resolve/<ref>/` and `hf:owner/repo/file#<ref>` to the commit. */
function uriPin(ctx: FixContext, call: ts.CallExpression): Fix | undefined {
  const arg = uriArg(call);
  if (!arg) return undefined;
  const pieces = uriPieces(arg, ctx.sf);
  const whole = pieces.map((p) => p.text).join('');
  // offsets of each character of `whole` in the file (undefined where it is not written verbatim)
  const offsets: (number | undefined)[] = [];
  for (const p of pieces) for (let i = 0; i < p.text.length; i++) offsets.push(p.at === undefined ? undefined : p.at + i);
  const editRange = (start: number, end: number, text: string): TextEdit | undefined => {
    const s = offsets[start];
    const e = offsets[end - 1];
    if (s === undefined || e === undefined || e - s !== end - 1 - start) return undefined;
    return { file: ctx.file, startOffset: s, endOffset: e + 1, text };
  };
  const m = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?!datasets\/|spaces\/)([^/\u0000]+\/[^/\u0000]+)\/resolve\/([^/\u0000]+)\//.exec(whole);
  if (m) {
    const refStart = m.index + m[0].length - 1 - m[2].length;
    const edit = editRange(refStart, refStart + m[2].length, UNRESOLVED_SHA);
    return edit ? pinFix(ctx, m[1], decodeURIComponent(m[2]), [edit], 'the URL') : undefined;
  }
  const h = /^(?:hf|huggingface):([^/:#\u0000]+\/[^/:#\u0000]+)\/[^#\u0000]+?(?:#([^\u0000]*))?$/.exec(whole);
  if (h) {
    if (h[2] !== undefined) {
      const refStart = whole.length - h[2].length;
      const edit = editRange(refStart, whole.length, UNRESOLVED_SHA);
      return edit ? pinFix(ctx, h[1], h[2] || 'main', [edit], 'the `hf:` URI') : undefined;
    }
    // no `#ref`: append the commit after the last character
    const last = offsets[whole.length - 1];
    if (last === undefined) return undefined;
    return pinFix(ctx, h[1], 'main', [insertAt(ctx, last + 1, `#${UNRESOLVED_SHA}`)], 'the `hf:` URI');
  }
  return undefined;
}

/**
 * After `const res = await fetch(URL)` and `const bytes = Buffer.from(await res.arrayBuffer())`:
 * reject the file unless its sha256 is the expected one, before anything uses it.
 */
function digestCheck(ctx: FixContext, call: ts.CallExpression): Fix | undefined {
  const arg = uriArg(call);
  if (!arg) return undefined;
  const pieces = uriPieces(arg, ctx.sf);
  const url = pieces.map((p) => p.text).join('');
  if (url.includes('\u0000')) return undefined; // a URL per file: one digest does not fit
  const site = siteOf(call);
  if (!site || site.kind !== 'statement') return undefined;
  const st = site.stmt;
  if (!ts.isVariableStatement(st) || st.declarationList.declarations.length !== 1) return undefined;
  const resDecl = st.declarationList.declarations[0];
  if (!ts.isIdentifier(resDecl.name)) return undefined;
  const res = resDecl.name.text;
  const list = (st.parent as ts.Block).statements;
  if (!list) return undefined;
  const idx = list.indexOf(st);
  for (let i = idx + 1; i < list.length; i++) {
    const s = list[i];
    if (!ts.isVariableStatement(s)) continue;
    const d = s.declarationList.declarations[0];
    if (!d || !ts.isIdentifier(d.name) || !d.initializer) continue;
    const init = d.initializer.getText(ctx.sf);
    if (!new RegExp(`\\b${res}\\s*\\.\\s*(arrayBuffer\\s*\\(|data\\b|buffer\\s*\\(|body\\b)`).test(init)) continue;
    const bytes = /^(Buffer\.from|new Uint8Array|Buffer\.concat)\s*\(/.test(init) ? d.name.text : `Buffer.from(${d.name.text})`;
    const crypto = builtin(ctx, 'crypto');
    const imp = ensureImport(ctx.sf, ctx.file, crypto, ['createHash'], ctx.style);
    const file = url.slice(url.lastIndexOf('/') + 1).replace(/[?#].*$/, '') || 'the file';
    const indent = lineIndent(ctx.sf, s.getStart(ctx.sf));
    const eol = ctx.style.eol;
    const sm = semi(ctx);
    const text =
      `${eol}${indent}const EXPECTED_SHA256 = ${quote('', ctx.style)}${sm} // fill in the sha256 (hex) of ${file}: until then every download is rejected` +
      `${eol}${indent}if (createHash(${quote('sha256', ctx.style)}).update(${bytes}).digest(${quote('hex', ctx.style)}) !== EXPECTED_SHA256) throw new Error(${quote(`sha256 mismatch for ${file}`, ctx.style)})${sm}`;
    if (/\bEXPECTED_SHA256\b/.test(ctx.sf.text)) return undefined;
    return {
      description: `Verify the sha256 of ${file} before using it (fill in EXPECTED_SHA256)`,
      kind: 'suggestion',
      edits: [insertAt(ctx, s.getEnd(), text), ...imp],
    };
  }
  return undefined;
}

// ───────────────────────────── Ollama ─────────────────────────────

/** `ollama.pull({ model: 'mistral' })` → `'mistral:<choose-a-tag>'` (also `:latest`), where the name is written. */
function ollamaTag(ctx: FixContext, call: ts.CallExpression): Fix | undefined {
  const a = call.arguments[0] && skip(call.arguments[0]);
  if (!a || !ts.isObjectLiteralExpression(a)) return undefined;
  const p = findProp(a, 'model');
  const v = p ? propValue(p) : undefined;
  if (!v) return undefined;
  const pieces = uriPieces(v, ctx.sf);
  const whole = pieces.map((x) => x.text).join('');
  if (whole.includes('\u0000') && !/:latest$/.test(whole)) return undefined;
  const offsets: (number | undefined)[] = [];
  for (const x of pieces) for (let i = 0; i < x.text.length; i++) offsets.push(x.at === undefined ? undefined : x.at + i);
  const colon = whole.lastIndexOf(':');
  const slash = whole.lastIndexOf('/');
  let edit: TextEdit | undefined;
  if (colon > slash && whole.slice(colon + 1) === 'latest') {
    const s = offsets[colon + 1];
    const e = offsets[whole.length - 1];
    if (s !== undefined && e !== undefined && e - s === 'latest'.length - 1) edit = { file: ctx.file, startOffset: s, endOffset: e + 1, text: OLLAMA_TAG_PLACEHOLDER };
  } else if (colon <= slash) {
    const last = offsets[whole.length - 1];
    if (last !== undefined) edit = insertAt(ctx, last + 1, `:${OLLAMA_TAG_PLACEHOLDER}`);
  }
  if (!edit) return undefined;
  const name = colon > slash ? whole.slice(0, colon) : whole;
  const where = /^(hf\.co|huggingface\.co)\//.test(name) ? `the quantizations listed on https://huggingface.co/${name.replace(/^[^/]+\//, '')}` : `https://ollama.com/library/${name}/tags`;
  return {
    description: `Pull an explicit tag of \`${name}\`: replace \`${OLLAMA_TAG_PLACEHOLDER}\` with the size and quantization you run (see ${where})`,
    kind: 'suggestion',
    edits: [edit],
  };
}

function fold(e: ts.Expression | undefined): string | undefined {
  if (!e) return undefined;
  const pieces = uriPieces(e, e.getSourceFile());
  const t = pieces.map((p) => p.text).join('');
  return t.includes('\u0000') ? undefined : t;
}
