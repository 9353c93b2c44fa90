/**
 * Code actions from recorded findings. Fixes are recorded with the document version they were
 * computed for, and every edit is pinned to that version: a stale fix is never offered, and an
 * edit the editor applies to a changed document is rejected by the editor.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextDocumentEdit, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix } from '../../../analyzers';
import { COMMANDS, DIAGNOSTIC_SOURCE, FIX_ALL_KIND, type DiagnosticData, type SuppressArgs } from '../shared/protocol';
import { diagnosticKey, fileUri } from './diagnostics';
import { readySafeFixes } from './edits';
import { builtinRule, type RuleLookup } from './rules';

/** The findings of one document version, as published. */
export interface Recorded {
  uri: string;
  version: number;
  root: string;
  /** Root-relative path of the document. */
  rel: string;
  findings: Finding[];
  /** By fingerprint and by diagnostic key (range, code, message). */
  byKey: Map<string, Finding>;
  /** Versions of the other open documents a fix edits, as they were when the fix was computed. */
  otherVersions: Map<string, number>;
}

export interface OpenDocuments {
  /** An open document by absolute path. */
  byPath(file: string): TextDocument | undefined;
}

export function record(uri: string, version: number, root: string, rel: string, findings: Finding[], diagnostics: Diagnostic[], docs: OpenDocuments): Recorded {
  const byKey = new Map<string, Finding>();
  const otherVersions = new Map<string, number>();
  findings.forEach((f, i) => {
    byKey.set(f.fingerprint, f);
    const d = diagnostics[i];
    if (d) byKey.set(diagnosticKey(d), f);
    for (const fix of f.fixes)
      for (const e of fix.edits)
        if (e.file !== rel) {
          const abs = path.resolve(root, e.file);
          const other = docs.byPath(abs);
          if (other) otherVersions.set(abs, other.version);
        }
  });
  return { uri, version, root, rel, findings, byKey, otherVersions };
}

export function findingFor(rec: Recorded, d: Diagnostic): Finding | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (data && typeof data.fingerprint === 'string') {
    const f = rec.byKey.get(data.fingerprint);
    if (f) return f;
  }
  return rec.byKey.get(diagnosticKey(d));
}

/** The workspace edit of a fix, each document pinned to its version; undefined when a file changed since. */
export function workspaceEditFor(fix: Fix, rec: Recorded, doc: TextDocument, docs: OpenDocuments): WorkspaceEdit | undefined {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const documentChanges: TextDocumentEdit[] = [];
  for (const [rel, edits] of byFile) {
    let target: TextDocument;
    let uri: string;
    let version: number | null;
    if (rel === rec.rel) {
      if (doc.version !== rec.version) return undefined;
      target = doc;
      uri = rec.uri;
      version = rec.version;
    } else {
      const abs = path.resolve(rec.root, rel);
      const open = docs.byPath(abs);
      if (open) {
        if (rec.otherVersions.get(abs) !== open.version) return undefined;
        target = open;
        uri = open.uri;
        version = open.version;
      } else {
        let text: string;
        try {
          text = fs.readFileSync(abs, 'utf8');
        } catch {
          return undefined;
        }
        uri = fileUri(rec.root, rel);
        target = TextDocument.create(uri, 'typescript', 0, text);
        version = null;
      }
    }
    const lspEdits: LspTextEdit[] = edits
      .filter((e) => e.startOffset >= 0 && e.endOffset >= e.startOffset && e.endOffset <= target.getText().length)
      .map((e) => ({ range: { start: target.positionAt(e.startOffset), end: target.positionAt(e.endOffset) }, newText: e.text }));
    if (lspEdits.length !== edits.length) return undefined;
    documentChanges.push({ textDocument: { uri, version }, edits: lspEdits });
  }
  return { documentChanges };
}

/** Quick fixes for the Wirecheck diagnostics of a code action request. */
export function quickFixes(rec: Recorded, doc: TextDocument, diagnostics: readonly Diagnostic[], docs: OpenDocuments, rules: RuleLookup = builtinRule): CodeAction[] {
  if (doc.version !== rec.version) return [];
  const fixes: CodeAction[] = [];
  const suppress: CodeAction[] = [];
  const docsActions: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const f = findingFor(rec, d);
    if (!f) continue;
    let preferred = false;
    for (const fix of f.fixes) {
      // a placeholder (a commit sha) is never applied: the server replaces such fixes once it resolved them
      if (fix.resolve) continue;
      const edit = workspaceEditFor(fix, rec, doc, docs);
      if (!edit) continue;
      const action: CodeAction = { title: fix.description, kind: CodeActionKind.QuickFix, diagnostics: [d], edit };
      if (fix.kind === 'safe' && !preferred) {
        action.isPreferred = true;
        preferred = true;
      }
      fixes.push(action);
    }
    const line = f.location.start.line - 1;
    const key = `${f.ruleId}@${line}`;
    if (!seenRules.has(key)) {
      seenRules.add(key);
      const args: SuppressArgs = { uri: rec.uri, version: rec.version, line, ruleId: f.ruleId };
      const title = `Suppress ${f.ruleId} with a reason…`;
      suppress.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title, command: COMMANDS.suppressWithReason, arguments: [args] } });
    }
    if (!seenRules.has(f.ruleId)) {
      seenRules.add(f.ruleId);
      const title = `Show documentation for ${f.ruleId}`;
      const rule = rules(f.ruleId);
      const args: unknown[] = rule?.docs ? [f.ruleId, rule.docs] : [f.ruleId];
      docsActions.push({ title, kind: CodeActionKind.QuickFix, command: { title, command: COMMANDS.showRuleDocs, arguments: args } });
    }
  }
  return [...fixes, ...suppress, ...docsActions];
}

/** Whether a code action request asks for kinds that include `kind`. */
export function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((o) => kind === o || kind.startsWith(o + '.'));
}

/** Safe fixes recorded for the document (edits in the document itself). */
export function safeFixCount(rec: Recorded): number {
  return readySafeFixes(rec.findings).filter((x) => x.edits.length > 0 && x.edits.every((e) => e.file === rec.rel)).length;
}

export function fixAllAction(uri: string, version: number, edit: { start: number; end: number; text: string }, doc: TextDocument, applied: number): CodeAction {
  return {
    title: applied === 1 ? 'Fix the safe Wirecheck problem in this file' : `Fix all ${applied} safe Wirecheck problems in this file`,
    kind: FIX_ALL_KIND,
    edit: {
      documentChanges: [
        {
          textDocument: { uri, version },
          edits: [{ range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.text }],
        },
      ],
    },
  };
}
