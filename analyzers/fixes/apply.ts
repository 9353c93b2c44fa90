/**
 * Applying fixes: choose at most one fix per finding (the first safe one, or the first of any kind
 * when suggestions are allowed), drop fixes whose edits overlap edits already chosen (they are
 * retried on the next pass, after re-analysis), and apply the edits to the text.
 */
import type { Finding, Fix, TextEdit } from '../engine/types';

export interface FixSelection {
  /** Edits per root-relative file, not overlapping, sorted by offset. */
  edits: Map<string, TextEdit[]>;
  /** The fixes chosen, with the finding each targets. */
  chosen: { finding: Finding; fix: Fix }[];
}

export function selectFixes(findings: readonly Finding[], opts: { suggestions: boolean }): FixSelection {
  const edits = new Map<string, TextEdit[]>();
  const chosen: FixSelection['chosen'] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.kind === 'safe' || opts.suggestions);
    if (!fix) continue;
    const fresh = fix.edits.filter((e) => !(edits.get(e.file) ?? []).some((o) => same(o, e)));
    if (fresh.length === 0) {
      // the same edits as a fix already chosen (two findings on one expression)
      chosen.push({ finding: f, fix });
      continue;
    }
    if (fresh.some((e) => (edits.get(e.file) ?? []).some((o) => overlaps(o, e)) || fresh.some((x) => x !== e && x.file === e.file && overlaps(x, e)))) continue;
    for (const e of fresh) edits.set(e.file, [...(edits.get(e.file) ?? []), e]);
    chosen.push({ finding: f, fix });
  }
  for (const list of edits.values()) list.sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
  return { edits, chosen };
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.startOffset - a.startOffset || b.endOffset - a.endOffset);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.endOffset > limit || e.startOffset > e.endOffset || e.endOffset > text.length) throw new Error(`overlapping or out-of-range edit at ${e.startOffset}-${e.endOffset}`);
    out = out.slice(0, e.startOffset) + e.text + out.slice(e.endOffset);
    limit = e.startOffset;
  }
  return out;
}

function same(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.startOffset === b.startOffset && a.endOffset === b.endOffset && a.text === b.text;
}

function overlaps(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  // two insertions at one offset conflict (their order would be arbitrary)
  if (a.startOffset === a.endOffset && b.startOffset === b.endOffset) return a.startOffset === b.startOffset;
  return a.startOffset < b.endOffset && b.startOffset < a.endOffset || (a.startOffset === a.endOffset && a.startOffset > b.startOffset && a.startOffset < b.endOffset) || (b.startOffset === b.endOffset && b.startOffset > a.startOffset && b.startOffset < a.endOffset);
}
