import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createSession } from '../analyzers';
import { applyEdits } from '../analyzers/fixes/apply';
import { fixFile } from './fix-harness';

/**
 * Each case under test/fixes is an unsafe module and `<case>.fixed.<ext>` the expected result of
 * applying every fix (safe fixes and suggestions), pass by pass. After fixing, the file has no
 * findings and no parse errors, and applying fixes again changes nothing. `npm run typecheck`
 * type-checks the cases and their fixed versions against the real SDKs (test/fixes/tsconfig.json).
 * An optional `<case>.safe.<ext>` is the expected result of the safe fixes alone (`scan --fix`).
 */
const root = path.resolve(__dirname, 'fixes');
const SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/;

function cases(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) cases(p, out);
    else if (SOURCE.test(e.name) && !/\.(fixed|safe|guarded)\.[a-z]+$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

function sibling(file: string, kind: 'fixed' | 'safe'): string {
  const ext = path.extname(file);
  return file.slice(0, -ext.length) + `.${kind}${ext}`;
}

describe('quick fixes: expected outputs', function () {
  this.timeout(60_000);
  const all = cases(root);

  it('has cases for every category', () => {
    for (const dir of ['prompt-injection', 'rag-as-instructions', 'overprivileged-tool', 'unpinned-model', 'output-to-sink'])
      assert.ok(all.filter((f) => f.includes(`${path.sep}${dir}${path.sep}`)).length >= 3, `fewer than 3 fix cases in ${dir}`);
  });

  for (const file of all) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    describe(rel, () => {
      const text = fs.readFileSync(file, 'utf8');
      const expectedFile = sibling(file, 'fixed');

      it('every finding offers a fix, and applying them gives the expected file', () => {
        assert.ok(fs.existsSync(expectedFile), `missing ${path.basename(expectedFile)}`);
        const run = fixFile(root, rel, text, { suggestions: true });
        assert.ok(run.before.length > 0, 'the case has no finding');
        for (const f of run.before) assert.ok(f.fixes.length > 0, `no fix for ${f.ruleId} at line ${f.location.start.line}`);
        assert.equal(run.text, fs.readFileSync(expectedFile, 'utf8'));
        assert.deepEqual(run.after.map((f) => `${f.ruleId}:${f.location.start.line}`), [], 'findings remain after fixing');
        assert.deepEqual(run.notices.filter((n) => /syntax error|cannot be parsed/.test(n)), [], 'the fixed file does not parse');
      });

      it('is idempotent: the fixed file gets no further edits', () => {
        const expected = fs.readFileSync(expectedFile, 'utf8');
        const again = fixFile(root, rel, expected, { suggestions: true });
        assert.equal(again.text, expected);
        assert.equal(again.passes, 0);
      });

      const safeFile = sibling(file, 'safe');
      if (fs.existsSync(safeFile))
        it('safe fixes alone give the expected `--fix` result', () => {
          const run = fixFile(root, rel, text, { suggestions: false });
          assert.equal(run.text, fs.readFileSync(safeFile, 'utf8'));
        });
    });
  }
});

describe('quick fixes: @openai/guardrails client', () => {
  const rel = 'guardrails-client/cards.ts';

  it('offers GuardrailsOpenAI.create as a suggestion where the project depends on @openai/guardrails, and it clears the finding', () => {
    const session = createSession({ root });
    const [finding, ...rest] = session.analyze([rel]).findings;
    assert.equal(rest.length, 0);
    const fix = finding.fixes.find((f) => f.description.includes('@openai/guardrails'));
    assert.ok(fix, 'no guardrails fix offered');
    assert.equal(fix.kind, 'suggestion');
    const text = applyEdits(fs.readFileSync(path.join(root, rel), 'utf8'), fix.edits);
    assert.equal(text, fs.readFileSync(path.join(root, 'guardrails-client/cards.guarded.ts'), 'utf8'));
    session.updateFile(rel, text);
    assert.deepEqual(session.analyze([rel]).findings, []);
  });

  it('does not offer it where the project does not depend on @openai/guardrails', () => {
    const session = createSession({ root });
    const findings = session.analyze(['prompt-injection/openai-chat-persona.ts']).findings;
    assert.ok(findings.length > 0);
    for (const f of findings) assert.ok(!f.fixes.some((x) => x.description.includes('@openai/guardrails')));
  });
});
