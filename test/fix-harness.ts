/**
 * Applying the engine's fixes in memory, pass by pass, as `wirecheck scan --fix` does: used by the
 * fix tests (expected outputs beside each case) and the corpus-wide fix check.
 */
import { createSession, type Finding } from '../analyzers';
import { applyEdits, selectFixes } from '../analyzers/fixes/apply';

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
    const sel = selectFixes(findings.filter((f) => f.location.file === rel), opts);
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
