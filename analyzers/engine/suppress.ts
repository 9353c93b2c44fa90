/**
 * Suppression comments:
 *   // wirecheck-disable-next-line <rule-id>[, <rule-id>…] -- <reason>
 *   // wirecheck-disable-line <rule-id> -- <reason>
 * A rule id may also be a category name. A reason is required unless the config says otherwise.
 */
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

const RE = /\/[/*]\s*wirecheck-disable-(next-line|line)\b([^\n*]*)/g;

export function parseDirectives(text: string): Directive[] {
  if (!text.includes('wirecheck-disable-')) return [];
  const out: Directive[] = [];
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  RE.lastIndex = 0;
  for (let m = RE.exec(text); m; m = RE.exec(text)) {
    const offset = m.index;
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
