/**
 * `wirecheck scan --fix` / `--fix-suggestions`: applies the engine's fixes to the files on disk,
 * pass by pass (a fix whose edits overlap another's waits for the next pass, after re-analysis),
 * and returns the findings that remain. A file is only written when its fixed text still parses;
 * writes go through a temporary file and a rename, so a file is never left half-written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisResult, Config, Finding, Fix } from '../analyzers';

export interface FixOptions {
  root: string;
  config: Config;
  files: string[];
  suggestions: boolean;
  /** Resolves fixes that need data from outside (a model revision's commit sha); undefined when it cannot. */
  resolve?: (fix: Fix) => Promise<Fix | undefined>;
  log: (line: string) => void;
}

export interface FixOutcome {
  result: AnalysisResult;
  /** Fixes applied, per root-relative file. */
  applied: Map<string, number>;
}

const MAX_PASSES = 10;

export async function fixFiles(opts: FixOptions): Promise<FixOutcome> {
  const { createSession } = require('../analyzers') as typeof import('../analyzers');
  const { selectFixes, applyEdits } = require('../analyzers/fixes/apply') as typeof import('../analyzers/fixes/apply');
  const { ts } = require('ts-morph') as typeof import('ts-morph');
  const session = createSession({ root: opts.root, config: opts.config });
  const applied = new Map<string, number>();
  const refused = new Set<string>();
  let result = session.analyze(opts.files);
  try {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const candidates: Finding[] = [];
      for (const f of result.findings) {
        if (refused.has(f.location.file)) continue;
        const resolved = await resolveFixes(f, opts);
        if (resolved.fixes.length) candidates.push(resolved);
      }
      const sel = selectFixes(candidates, { suggestions: opts.suggestions });
      if (sel.edits.size === 0) break;
      let wrote = false;
      for (const [rel, edits] of sel.edits) {
        const abs = path.join(opts.root, rel);
        const before = fs.readFileSync(abs, 'utf8');
        let after: string;
        try {
          after = applyEdits(before, edits);
        } catch (e) {
          opts.log(`${rel}: fixes not applied: ${(e as Error).message}`);
          refused.add(rel);
          continue;
        }
        if (after === before) continue;
        if (parseErrors(ts, abs, after) > parseErrors(ts, abs, before)) {
          opts.log(`${rel}: fixes not applied: the result would not parse`);
          refused.add(rel);
          continue;
        }
        writeAtomically(abs, after);
        session.updateFile(rel, undefined);
        applied.set(rel, (applied.get(rel) ?? 0) + sel.chosen.filter((c) => c.finding.location.file === rel).length);
        wrote = true;
      }
      if (!wrote) break;
      result = session.analyze(opts.files);
    }
  } finally {
    session.dispose();
  }
  return { result, applied };
}

async function resolveFixes(f: Finding, opts: FixOptions): Promise<Finding> {
  if (!f.fixes.some(needsResolving)) return f;
  const fixes: Fix[] = [];
  for (const fix of f.fixes) {
    if (!needsResolving(fix)) fixes.push(fix);
    else if (opts.resolve) {
      const r = await opts.resolve(fix);
      if (r) fixes.push(r);
    }
  }
  return { ...f, fixes };
}

function needsResolving(fix: Fix): boolean {
  return !!(fix as { resolve?: unknown }).resolve;
}

function parseErrors(ts: typeof import('ts-morph').ts, file: string, text: string): number {
  const { scriptKindFor } = require('../analyzers/engine/session') as typeof import('../analyzers/engine/session');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKindFor(file));
  return ((sf as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? []).length;
}

function writeAtomically(link: string, text: string): void {
  const file = fs.realpathSync(link);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.wirecheck-${process.pid}.tmp`);
  const mode = fs.statSync(file).mode;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}
