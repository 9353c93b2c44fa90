/**
 * Suppression comments:
 *   // wirecheck-disable-next-line <rule-id>[, <rule-id>…] -- <reason>
 *   // wirecheck-disable-line <rule-id> -- <reason>
 * A rule id may also be a category name. A reason is required unless the config says otherwise.
 */
import { ts } from 'ts-morph';

export interface Directive {
  kind: 'next-line' | 'line';
  /** 1-based line the directive applies to. */
  target: number;
  /** 1-based line and column of the comment itself. */
  line: number;
  column: number;
  rules: string[];
  reason: string;
  used: boolean;
}

const RE = /^\/[/*]\s*wirecheck-disable-(next-line|line)\b([^\n*]*)/;

/** Comments only: a directive quoted inside a string or template is not a directive. */
function comments(text: string): { pos: number; text: string }[] {
  const out: { pos: number; text: string }[] = [];
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, text);
  // braces open inside each `${ … }` of the template literals we are in
  const templates: number[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      const t = scanner.getTokenText();
      if (t.includes('wirecheck-disable-')) out.push({ pos: scanner.getTokenStart(), text: t });
    } else if (kind === ts.SyntaxKind.TemplateHead) templates.push(0);
    else if (kind === ts.SyntaxKind.OpenBraceToken && templates.length) templates[templates.length - 1]++;
    else if (kind === ts.SyntaxKind.CloseBraceToken && templates.length) {
      if (templates[templates.length - 1] > 0) templates[templates.length - 1]--;
      else if (scanner.reScanTemplateToken(false) === ts.SyntaxKind.TemplateTail) templates.pop();
    }
  }
  return out;
}

export function parseDirectives(text: string): Directive[] {
  if (!text.includes('wirecheck-disable-')) return [];
  const out: Directive[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  for (const c of comments(text)) {
    const m = RE.exec(c.text);
    if (!m) continue;
    const offset = c.pos;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const line = lo + 1;
    const rest = m[2];
    const sep = rest.indexOf('--');
    const idsPart = (sep >= 0 ? rest.slice(0, sep) : rest).trim();
    const reason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
    const rules = idsPart.split(/[\s,]+/).filter(Boolean);
    out.push({ kind: m[1] === 'next-line' ? 'next-line' : 'line', target: m[1] === 'next-line' ? line + 1 : line, line, column: offset - lineStarts[lo] + 1, rules, reason, used: false });
  }
  return out;
}

export function directiveMatches(d: Directive, ruleId: string, category: string): boolean {
  if (d.rules.length === 0) return false;
  return d.rules.some((r) => r === ruleId || r === category || r === 'all');
}
