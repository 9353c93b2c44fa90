/** Engine findings and notices as LSP diagnostics and hovers. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, MarkupKind, type Diagnostic, type DiagnosticRelatedInformation, type Hover, type Range } from 'vscode-languageserver';
import type { Finding, Location, Notice, Severity } from '../../../analyzers';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../shared/protocol';
import { builtinRule, type RuleLookup } from './rules';

export function severityOf(s: Severity): DiagnosticSeverity {
  return s === 'error' ? DiagnosticSeverity.Error : s === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

export function rangeOf(loc: Pick<Location, 'start' | 'end'>): Range {
  return {
    start: { line: loc.start.line - 1, character: loc.start.column - 1 },
    end: { line: loc.end.line - 1, character: loc.end.column - 1 },
  };
}

export function fileUri(root: string, rel: string): string {
  return pathToFileURL(path.resolve(root, rel)).href;
}

/** The key a diagnostic is recorded under (what the editor sends back in a code action request). */
export function diagnosticKey(d: Pick<Diagnostic, 'range' | 'code' | 'message'>): string {
  const r = d.range;
  return `[${r.start.line},${r.start.character},${r.end.line},${r.end.character}]-${String(d.code ?? '')}-${d.message}`;
}

/**
 * A finding as a diagnostic: source Wirecheck, the rule id as code with its docs page, the taint
 * path (source first, sink last) as related information. `uriFor` maps a root-relative path to the
 * URI the editor knows the file by.
 */
export function toDiagnostic(f: Finding, version: number, uriFor: (rel: string) => string, rules: RuleLookup = builtinRule): Diagnostic {
  const rule = rules(f.ruleId);
  const d: Diagnostic = {
    range: rangeOf(f.location),
    severity: severityOf(f.severity),
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    message: f.message,
    data: { fingerprint: f.fingerprint, version } satisfies DiagnosticData,
  };
  if (rule?.docs) d.codeDescription = { href: rule.docs };
  if (f.path.length > 1) {
    const n = f.path.length;
    d.relatedInformation = f.path.map(
      (s, i): DiagnosticRelatedInformation => ({
        location: { uri: uriFor(s.location.file), range: rangeOf(s.location) },
        message: `${i + 1}/${n} ${s.message}`,
      }),
    );
  }
  return d;
}

/** Notices that belong on a line of the file (suppression problems, a skipped file). */
export function noticeDiagnostic(n: Notice, rel: string, lineLength: (line: number) => number): Diagnostic | undefined {
  if (n.file !== rel) return undefined;
  const message = n.message.startsWith(`${rel}:`) ? n.message.replace(/^[^:]+:(\d+:)?\s*/, '') : n.message;
  switch (n.kind) {
    case 'unused-suppression':
    case 'suppression-without-reason': {
      const line = (n.location?.start.line ?? 1) - 1;
      const col = (n.location?.start.column ?? 1) - 1;
      return {
        range: { start: { line, character: col }, end: { line, character: Math.max(col, lineLength(line)) } },
        severity: n.kind === 'suppression-without-reason' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
        source: DIAGNOSTIC_SOURCE,
        code: n.kind,
        message,
      };
    }
    case 'time-budget':
    case 'unreadable':
      return {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        source: DIAGNOSTIC_SOURCE,
        code: n.kind,
        message,
      };
    default:
      // syntax errors: the TypeScript language service shows them already
      return undefined;
  }
}

export function timeBudgetDiagnostic(stopMs: number, onSaveOnly: boolean): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    source: DIAGNOSTIC_SOURCE,
    code: 'time-budget',
    message: `Wirecheck stopped analysing this file after ${(stopMs / 1000).toFixed(1)} s (setting wirecheck.timeBudget.stopMs), so its findings are not shown.${onSaveOnly ? ' It is analysed again when you save it.' : ''}`,
  };
}

function contains(r: Range, line: number, character: number): boolean {
  if (line < r.start.line || line > r.end.line) return false;
  if (line === r.start.line && character < r.start.character) return false;
  if (line === r.end.line && character > r.end.character) return false;
  return true;
}

function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The hover for findings under the cursor: what the rule finds and why it matters, the path, docs. */
export function hoverFor(findings: readonly Finding[], line: number, character: number, rules: RuleLookup = builtinRule): Hover | undefined {
  const hits = findings.filter((f) => contains(rangeOf(f.location), line, character));
  if (!hits.length) return undefined;
  const parts: string[] = [];
  for (const f of hits) {
    const rule = rules(f.ruleId);
    const lines = [`**Wirecheck** · \`${f.ruleId}\` · ${f.severity}`];
    if (rule) {
      lines.push('', `**${rule.description.replace(/\.$/, '')}.**`);
      if (rule.fullDescription) lines.push('', rule.fullDescription);
    }
    if (f.path.length > 1) {
      const steps = f.path.map((s) => `${s.message} (${s.location.file}:${s.location.start.line})`);
      lines.push('', `Path: ${steps.map(inline).join(' → ')}`);
    }
    if (rule) {
      const meta = [...rule.cwe, ...rule.owasp.map((o) => `OWASP ${o}`), ...(rule.docs ? [`[Rule documentation](${rule.docs})`] : [])].join(' · ');
      if (meta) lines.push('', meta);
    }
    parts.push(lines.join('\n'));
  }
  const first = rangeOf(hits[0].location);
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: first };
}
