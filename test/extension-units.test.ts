/** The VS Code extension's editor-independent parts: suppression comments, command lines, edits, settings. */
import * as assert from 'node:assert/strict';
import type { Fix } from '../analyzers';
import { commandForFile, joinCommand, splitCommand } from '../extension/src/shared/command-line';
import { normalizeSettings } from '../extension/src/shared/protocol';
import { cleanReason, suppressionEdit } from '../extension/src/shared/suppression';
import { applyEdits, compatibleFixes, minimalEdit } from '../extension/src/server/edits';
import { hoverFor, noticeDiagnostic, toDiagnostic } from '../extension/src/server/diagnostics';
import type { Finding } from '../analyzers';

const PI = 'prompt-injection/untrusted-input-in-instructions';

describe('VS Code extension: suppression comments', () => {
  it('goes on the line above, indented like the finding', () => {
    assert.deepEqual(suppressionEdit("      { role: 'system', content: persona },", "      messages: [", PI, 'persona comes from the admin table'), {
      kind: 'insert',
      text: `      // wirecheck-disable-next-line ${PI} -- persona comes from the admin table`,
    });
    assert.deepEqual(suppressionEdit('\tconst x = eval(out);', undefined, 'output-to-sink', 'sandboxed'), { kind: 'insert', text: '\t// wirecheck-disable-next-line output-to-sink -- sandboxed' });
  });

  it('joins an existing next-line directive instead of pushing it off its line', () => {
    const prev = '    // wirecheck-disable-next-line unpinned-model -- mirrored internally';
    assert.deepEqual(suppressionEdit('    await run(tool, input);', prev, PI, 'fixed prompt'), {
      kind: 'replace-previous',
      text: `    // wirecheck-disable-next-line unpinned-model, ${PI} -- mirrored internally; fixed prompt`,
    });
    // the same rule again (a directive without a reason): the reason is filled in
    assert.deepEqual(suppressionEdit('x();', `// wirecheck-disable-next-line ${PI}`, PI, 'reviewed'), { kind: 'replace-previous', text: `// wirecheck-disable-next-line ${PI} -- reviewed` });
  });

  it('keeps the reason on one line', () => {
    assert.equal(cleanReason('  reviewed by\n  security\r\n(SEC-12) */ '), 'reviewed by security (SEC-12) * /');
  });
});

describe('VS Code extension: sandbox command lines', () => {
  it('suggests the usual runner per file type', () => {
    assert.deepEqual(commandForFile('scripts/eval.ts'), ['npx', 'tsx', 'scripts/eval.ts']);
    assert.deepEqual(commandForFile('probe.mjs'), ['node', 'probe.mjs']);
    assert.deepEqual(commandForFile('train.py'), ['python3', 'train.py']);
    assert.deepEqual(commandForFile('notebooks/eval.ipynb'), ['jupyter', 'execute', 'notebooks/eval.ipynb']);
  });

  it('splits and joins command lines with quotes, without any shell expansion', () => {
    assert.deepEqual(splitCommand(`node "my script.mjs" --label 'a b' x\\ y $HOME`), ['node', 'my script.mjs', '--label', 'a b', 'x y', '$HOME']);
    assert.deepEqual(splitCommand(`python3 -c "print(\\"hi\\")" ''`), ['python3', '-c', 'print("hi")', '']);
    const words = ['node', 'my script.mjs', "it's", '--flag=1', ''];
    assert.deepEqual(splitCommand(joinCommand(words)), words);
    assert.equal(joinCommand(['npx', 'tsx', 'src/eval.ts']), 'npx tsx src/eval.ts');
  });
});

describe('VS Code extension: fix edits', () => {
  const fix = (description: string, edits: [number, number, string][], kind: Fix['kind'] = 'safe', file = 'a.ts'): Fix => ({
    description,
    kind,
    edits: edits.map(([startOffset, endOffset, text]) => ({ file, startOffset, endOffset, text })),
  });

  it('applies edits of one file from the end, so offsets stay valid', () => {
    assert.equal(applyEdits('const a = 1;\nconst b = 2;\n', [{ file: 'a.ts', startOffset: 0, endOffset: 0, text: "import x from 'x';\n" }, { file: 'a.ts', startOffset: 23, endOffset: 24, text: '3' }]), "import x from 'x';\nconst a = 1;\nconst b = 3;\n");
  });

  it('takes the fixes that do not touch each other, in file order, one insertion per spot', () => {
    const text = 'x'.repeat(100);
    const a = fix('a', [[10, 20, 'A']]);
    const b = fix('b', [[15, 25, 'B']]); // overlaps a
    const c = fix('c', [[0, 0, 'import y;\n'], [40, 45, 'C']]);
    const d = fix('d', [[0, 0, 'import y;\n'], [60, 61, 'D']]); // same insertion spot as c: next pass
    const other = fix('other file', [[70, 71, 'E']], 'safe', 'b.ts');
    const broken = fix('past the end', [[90, 120, 'F']]);
    assert.deepEqual(compatibleFixes([b, d, a, c, other, broken], 'a.ts', text.length).map((f) => f.description), ['d', 'a']);
  });

  it('describes a change as one minimal edit', () => {
    assert.deepEqual(minimalEdit('abcdef', 'abXYef'), { start: 2, end: 4, text: 'XY' });
    assert.deepEqual(minimalEdit('abc', 'abc'), undefined);
    assert.deepEqual(minimalEdit('aaa', 'aaaa'), { start: 3, end: 3, text: 'a' });
  });
});

describe('VS Code extension: settings and diagnostics', () => {
  it('fills in missing and malformed settings', () => {
    assert.deepEqual(normalizeSettings({ enable: 'yes', run: 'onSave', rules: { 'unpinned-model': 'error', x: 'loud' }, timeBudget: { warnMs: -5, stopMs: '1' }, configFile: ' packs/team.wirecheck.yaml ' }), {
      enable: true,
      configFile: 'packs/team.wirecheck.yaml',
      rules: { 'unpinned-model': 'error' },
      run: 'onSave',
      timeBudget: { warnMs: 1, stopMs: 10000 },
    });
    assert.equal(normalizeSettings(undefined).run, 'onType');
  });

  const finding: Finding = {
    ruleId: PI,
    category: 'prompt-injection',
    severity: 'note',
    message: 'Request data reaches the system prompt.',
    location: { file: 'src/chat.ts', start: { line: 12, column: 34 }, end: { line: 12, column: 60 }, startOffset: 300, endOffset: 326 },
    path: [
      { location: { file: 'src/lib/input.ts', start: { line: 3, column: 10 }, end: { line: 3, column: 18 }, startOffset: 40, endOffset: 48 }, message: 'source: request data' },
      { location: { file: 'src/chat.ts', start: { line: 12, column: 34 }, end: { line: 12, column: 60 }, startOffset: 300, endOffset: 326 }, message: 'reaches the instruction channel here' },
    ],
    fixes: [],
    fingerprint: 'abc123',
  };

  it('maps a finding to a diagnostic: 0-based range, note as information, the path across files', () => {
    const d = toDiagnostic(finding, 7, (rel) => `file:///ws/${rel}`);
    assert.deepEqual(d.range, { start: { line: 11, character: 33 }, end: { line: 11, character: 59 } });
    assert.equal(d.severity, 3);
    assert.equal(d.code, PI);
    assert.deepEqual(d.data, { fingerprint: 'abc123', version: 7 });
    assert.deepEqual(
      d.relatedInformation!.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
      [
        ['file:///ws/src/lib/input.ts', 2, '1/2 source: request data'],
        ['file:///ws/src/chat.ts', 11, '2/2 reaches the instruction channel here'],
      ],
    );
  });

  it('hovers only over the finding and shows its path', () => {
    assert.equal(hoverFor([finding], 11, 10), undefined);
    const md = (hoverFor([finding], 11, 40)!.contents as { value: string }).value;
    assert.match(md, /source: request data \(src\/lib\/input\.ts:3\) → reaches the instruction channel here \(src\/chat\.ts:12\)/);
  });

  it('shows suppression notices on their line and leaves syntax errors to TypeScript', () => {
    const loc = { file: 'src/chat.ts', start: { line: 5, column: 3 }, end: { line: 5, column: 3 }, startOffset: 0, endOffset: 0 };
    const d = noticeDiagnostic({ kind: 'suppression-without-reason', file: 'src/chat.ts', location: loc, message: 'src/chat.ts:5: suppression needs a reason: add `-- <why this is safe>`' }, 'src/chat.ts', () => 40);
    assert.deepEqual([d!.range.start.line, d!.range.start.character, d!.range.end.character, d!.severity, d!.message], [4, 2, 40, 2, 'suppression needs a reason: add `-- <why this is safe>`']);
    assert.equal(noticeDiagnostic({ kind: 'parse-error', file: 'src/chat.ts', message: 'src/chat.ts:1:1: syntax error' }, 'src/chat.ts', () => 0), undefined);
    assert.equal(noticeDiagnostic({ kind: 'unused-suppression', file: 'src/other.ts', location: loc, message: 'x' }, 'src/chat.ts', () => 0), undefined);
  });
});
