/**
 * Applying the engine's fixes in memory, pass by pass, as `wirecheck scan --fix` does: used by the
 * fix tests (expected outputs beside each case) and the corpus-wide fix check.
 */
import { createSession, type Finding } from '../analyzers';
import { applyEdits, selectFixes } from '../analyzers/fixes/apply';
import { fillFix } from '../analyzers/fixes/resolve';

/** The commit the tests pretend the Hugging Face Hub answers for every model (fixes with `resolve`). */
export const TEST_SHA = '5d3a1c0e9b7f24680ace13579bdf02468ace1357';

export interface FixRun {
  before: Finding[];
  after: Finding[];
  text: string;
  passes: number;
  notices: string[];
}

/** Applies fixes to one file of a root until none is left (at most 10 passes). */
export function fixFile(root: string, rel: string, text: string, opts: { suggestions: boolean }): FixRun {
  const session = createSession({ root });
  session.updateFile(rel, text);
  const first = session.analyze([rel]);
  const before = first.findings;
  let findings = before;
  let passes = 0;
  for (; passes < 10; passes++) {
    const resolved = findings.filter((f) => f.location.file === rel).map((f) => ({ ...f, fixes: f.fixes.map((x) => (x.resolve ? fillFix(x, TEST_SHA) : x)) }));
    const sel = selectFixes(resolved, opts);
    const edits = sel.edits.get(rel);
    if (!edits?.length) break;
    text = applyEdits(text, edits);
    session.updateFile(rel, text);
    findings = session.analyze([rel]).findings;
  }
  const last = session.analyze([rel]);
  session.dispose();
  return { before, after: last.findings, text, passes, notices: last.notices.map((n) => n.message) };
}
