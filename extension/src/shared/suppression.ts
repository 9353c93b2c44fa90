/**
 * The text of a suppression comment for a finding: `// wirecheck-disable-next-line <rule-id> --
 * <reason>` on the line above it, indented like it. When the line above already holds a
 * next-line directive (for another rule), the rule is added to it instead, because a second
 * directive line in between would move the first one off its target.
 */

const DIRECTIVE = /^(\s*)\/\/\s*wirecheck-disable-next-line\b(.*)$/;

export type SuppressionEdit =
  /** Insert `text` plus a line break at the start of the finding's line. */
  | { kind: 'insert'; text: string }
  /** Replace the whole line above the finding's line with `text`. */
  | { kind: 'replace-previous'; text: string };

/** A reason on one line, without the comment's own markers. */
export function cleanReason(reason: string): string {
  return reason.replace(/\s+/g, ' ').replace(/\*\//g, '* /').trim();
}

export function suppressionEdit(lineText: string, previousLine: string | undefined, ruleId: string, reason: string): SuppressionEdit {
  const why = cleanReason(reason);
  const prev = previousLine === undefined ? undefined : DIRECTIVE.exec(previousLine.replace(/\r$/, ''));
  if (prev) {
    const rest = prev[2];
    const sep = rest.indexOf('--');
    const ids = (sep >= 0 ? rest.slice(0, sep) : rest).split(/[\s,]+/).filter(Boolean);
    const oldReason = sep >= 0 ? rest.slice(sep + 2).trim() : '';
    if (!ids.includes(ruleId)) ids.push(ruleId);
    const combined = oldReason && oldReason !== why ? `${oldReason}; ${why}` : why;
    return { kind: 'replace-previous', text: `${prev[1]}// wirecheck-disable-next-line ${ids.join(', ')} -- ${combined}` };
  }
  const indent = /^[ \t]*/.exec(lineText)![0];
  return { kind: 'insert', text: `${indent}// wirecheck-disable-next-line ${ruleId} -- ${why}` };
}
