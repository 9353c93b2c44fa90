import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runFixtures, type Mismatch } from './harness';

const root = path.resolve(__dirname, 'fixtures');

describe('annotated detection fixtures', function () {
  this.timeout(120_000);
  const result = runFixtures(root);
  const byFile = new Map<string, Mismatch[]>();
  for (const m of result.mismatches) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m]);

  it('covers a broad corpus for both categories', () => {
    const expects = result.expectations.filter((e) => e.kind === 'expect');
    assert.ok(result.files.length >= 200, `only ${result.files.length} fixture files`);
    assert.ok(expects.filter((e) => e.category === 'prompt-injection').length >= 60);
    assert.ok(expects.filter((e) => e.category === 'rag-as-instructions').length >= 50);
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
