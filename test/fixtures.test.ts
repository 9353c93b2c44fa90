import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runFixtures, type Mismatch } from './harness';

const root = path.resolve(__dirname, 'fixtures');

describe('annotated detection fixtures', function () {
  this.timeout(120_000);
  const result = runFixtures(root);
  const byFile = new Map<string, Mismatch[]>();
  for (const m of result.mismatches) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m]);

  it('covers a broad corpus for every category, with safe look-alikes', () => {
    const expects = result.expectations.filter((e) => e.kind === 'expect');
    const oks = result.expectations.filter((e) => e.kind === 'ok');
    assert.ok(result.files.length >= 500, `only ${result.files.length} fixture files`);
    for (const [category, min] of [
      ['prompt-injection', 100],
      ['rag-as-instructions', 70],
      ['overprivileged-tool', 50],
      ['unpinned-model', 50],
      ['output-to-sink', 50],
    ] as const) {
      assert.ok(expects.filter((e) => e.category === category).length >= min, `${category}: fewer than ${min} expected findings`);
      assert.ok(oks.filter((e) => e.category === category).length >= min / 2, `${category}: too few safe look-alikes`);
    }
  });

  for (const file of result.files) {
    it(file, () => {
      const ms = byFile.get(file) ?? [];
      assert.deepEqual(
        ms.map((m) => `${m.kind} ${m.file}:${m.line} [${m.category}]${m.message ? ' ' + m.message : ''}`),
        [],
      );
    });
  }
});
