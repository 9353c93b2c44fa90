/**
 * Annotated-fixture harness: scans a folder in one session and compares findings with
 * `// wirecheck-expect:`, `// wirecheck-ok:` and `// wirecheck-todo:` comments (on the line before).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSession } from '../analyzers/engine/session';
import { discoverFiles } from '../analyzers/engine/discover';
import type { Finding } from '../analyzers/engine/types';

export interface Expectation {
  file: string;
  line: number;
  category: string;
  kind: 'expect' | 'ok' | 'todo';
}

export interface Mismatch {
  kind: 'missing' | 'unexpected' | 'todo-now-found' | 'ok-violated';
  file: string;
  line: number;
  category: string;
  message?: string;
}

const ANNOT = /\/\/\s*wirecheck-(expect|ok|todo):\s*([^\n]*)/;

export function readExpectations(root: string, rel: string): Expectation[] {
  const text = fs.readFileSync(path.join(root, rel), 'utf8');
  const out: Expectation[] = [];
  text.split('\n').forEach((line, i) => {
    const m = ANNOT.exec(line);
    if (!m) return;
    const list = m[2].split('--')[0];
    for (const c of list.split(/[\s,]+/).filter(Boolean)) {
      const category = c.includes('/') ? c.split('/')[0] : c;
      out.push({ file: rel, line: i + 2, category, kind: m[1] as Expectation['kind'] });
    }
  });
  return out;
}

export function runFixtures(root: string, subset?: (rel: string) => boolean): { findings: Finding[]; mismatches: Mismatch[]; expectations: Expectation[]; files: string[] } {
  const { files } = discoverFiles({ root, config: { ignores: ['**/*.fixed.ts'] }, paths: [] });
  const session = createSession({ root });
  const result = session.analyze(files);
  const rels = files.map((f) => path.relative(root, f).split(path.sep).join('/')).filter((r) => !subset || subset(r));
  const expectations = rels.flatMap((r) => readExpectations(root, r));
  const findings = result.findings.filter((f) => !subset || subset(f.location.file));
  const mismatches: Mismatch[] = [];
  const key = (file: string, line: number, cat: string) => `${file}:${line}:${cat}`;
  const found = new Set(findings.map((f) => key(f.location.file, f.location.start.line, f.category)));
  const expected = new Set(expectations.filter((e) => e.kind === 'expect').map((e) => key(e.file, e.line, e.category)));
  for (const f of findings) {
    if (!expected.has(key(f.location.file, f.location.start.line, f.category)))
      mismatches.push({ kind: 'unexpected', file: f.location.file, line: f.location.start.line, category: f.category, message: f.message });
  }
  for (const e of expectations) {
    const k = key(e.file, e.line, e.category);
    if (e.kind === 'expect' && !found.has(k)) mismatches.push({ kind: 'missing', file: e.file, line: e.line, category: e.category });
    if (e.kind === 'todo' && found.has(k)) mismatches.push({ kind: 'todo-now-found', file: e.file, line: e.line, category: e.category });
  }
  session.dispose();
  return { findings, mismatches, expectations, files: rels };
}
