/** Text edits as the engine produces them (offsets into one file's text): applying and combining. */
import type { Finding, Fix, TextEdit } from '../../../analyzers';

export { applyEdits } from '../../../analyzers/fixes/apply';

/**
 * The safe fixes of some findings that can be applied as they are: a fix holding a placeholder (a
 * model revision's commit, looked up on the Hub) waits until the server has resolved it.
 */
export function readySafeFixes(findings: readonly Finding[]): Fix[] {
  return findings.flatMap((f) => f.fixes.filter((x) => x.kind === 'safe' && !x.resolve));
}

function touches(a: TextEdit, b: TextEdit): boolean {
  // adjacent or same-point edits count as overlapping: two fixes inserting at one spot (the same
  // import, say) are applied one per pass and the second is recomputed on the new text
  return a.startOffset <= b.endOffset && b.startOffset <= a.endOffset;
}

/**
 * The fixes that can be applied together in one pass: every edit in `file`, valid offsets, and no
 * edit touching an edit of an earlier fix (in order of the first edit's position).
 */
export function compatibleFixes(fixes: readonly Fix[], file: string, textLength: number): Fix[] {
  const ordered = fixes
    .filter((f) => f.edits.length > 0 && f.edits.every((e) => e.file === file && e.startOffset >= 0 && e.startOffset <= e.endOffset && e.endOffset <= textLength))
    .sort((a, b) => Math.min(...a.edits.map((e) => e.startOffset)) - Math.min(...b.edits.map((e) => e.startOffset)));
  const taken: TextEdit[] = [];
  const out: Fix[] = [];
  for (const f of ordered) {
    if (f.edits.some((e) => taken.some((t) => touches(e, t)))) continue;
    taken.push(...f.edits);
    out.push(f);
  }
  return out;
}

/** One edit that turns `before` into `after` (the changed middle, common prefix and suffix kept). */
export function minimalEdit(before: string, after: string): { start: number; end: number; text: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return { start, end: endB, text: after.slice(start, endA) };
}
