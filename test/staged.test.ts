import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SOURCE_EXTENSIONS, ENGINE_VERSION } from '../analyzers/engine/session';
import { STAGED_EXTENSIONS, stagedSnapshot } from '../hooks/staged';
import { findRepo } from '../hooks/git';
import { CLI_VERSION } from '../hooks/cli';
import { splitMessage } from '../hooks/block-message';
import { commitAll, ensureBuilt, git, gitRun, read, SAFE, tmpRepo, UNSAFE, UNSAFE_OPENAI, wirecheck, write, removeTmpDirs, tmpDir } from './git-fixture';

const RULE = 'prompt-injection/untrusted-input-in-instructions';

describe('wirecheck scan --staged', function () {
  this.timeout(60_000);

  before(ensureBuilt);
  after(removeTmpDirs);

  it('blocks a staged unsafe file: exit 1, file:line, rule, reason, fix, suppression and bypass hints, no colour off a TTY', () => {
    const dir = tmpRepo({ 'README.md': '# app\n' });
    commitAll(dir);
    write(dir, 'src/reply.ts', UNSAFE);
    git(dir, 'add', 'src/reply.ts');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.stdout, /commit blocked/);
    assert.match(r.stdout, /src\/reply\.ts:11:\d+\s+error\s+prompt-injection\/untrusted-input-in-instructions/);
    assert.match(r.stdout, /req\.query/, 'the one-line reason names the source');
    assert.match(r.stdout, /fix: .*user message/);
    assert.match(r.stdout, new RegExp(`// wirecheck-disable-next-line ${RULE} -- `));
    assert.match(r.stdout, /git commit --no-verify/);
    assert.match(r.stdout, /✖ 1 blocking finding \(1 error\) in 1 of 1 staged file/);
    assert.doesNotMatch(r.stdout, /\u001b\[/);
    // colour only when asked for (a TTY, --color, or FORCE_COLOR as lint-staged sets it)
    assert.match(wirecheck(['scan', '--staged', '--color'], dir).stdout, /\u001b\[/);
  });

  it('analyses the staged version, not the working tree, and leaves the working tree and the index alone', () => {
    const dir = tmpRepo({ 'README.md': '# app\n' });
    commitAll(dir);
    // safe version staged, unsafe version in the working tree
    write(dir, 'src/reply.ts', SAFE);
    git(dir, 'add', 'src/reply.ts');
    write(dir, 'src/reply.ts', UNSAFE);
    const statusBefore = git(dir, 'status', '--porcelain=v1', '-z');
    const indexBefore = git(dir, 'ls-files', '-s');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /no blocking findings in 1 staged file/);
    assert.equal(read(dir, 'src/reply.ts'), UNSAFE, 'the unstaged change is still in the working tree');
    assert.equal(git(dir, 'status', '--porcelain=v1', '-z'), statusBefore);
    assert.equal(git(dir, 'ls-files', '-s'), indexBefore);
    assert.equal(gitRun(dir, 'stash', 'list').stdout, '', 'no stash was made');
    // and the other way round: the unsafe version staged, a fixed one only in the working tree
    write(dir, 'src/reply.ts', UNSAFE);
    git(dir, 'add', 'src/reply.ts');
    write(dir, 'src/reply.ts', SAFE);
    const r2 = wirecheck(['scan', '--staged'], dir);
    assert.equal(r2.code, 1, r2.out);
    assert.equal(read(dir, 'src/reply.ts'), SAFE);
  });

  it('a partially staged file: only the staged hunk counts', () => {
    const dir = tmpRepo({ 'src/reply.ts': SAFE });
    commitAll(dir);
    // version A (staged) adds an unrelated line; version B (not staged) adds the unsafe wiring
    const a = SAFE + '\nexport const VERSION = 2;\n';
    write(dir, 'src/reply.ts', a);
    git(dir, 'add', 'src/reply.ts');
    write(dir, 'src/reply.ts', UNSAFE + '\nexport const VERSION = 2;\n');
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
    assert.match(git(dir, 'status', '--porcelain'), /^MM src\/reply\.ts/m, 'still partially staged');
    // the reverse: the unsafe hunk staged, the fix not staged
    write(dir, 'src/reply.ts', UNSAFE);
    git(dir, 'add', 'src/reply.ts');
    write(dir, 'src/reply.ts', SAFE + '// fixed later\n');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.stdout, /src\/reply\.ts:11:/);
  });

  it('renamed and deleted files', () => {
    const dir = tmpRepo({ 'src/old.ts': UNSAFE, 'src/gone.ts': UNSAFE, 'README.md': '#\n' });
    commitAll(dir);
    git(dir, 'mv', 'src/old.ts', 'src/new.ts');
    git(dir, 'rm', '-q', 'src/gone.ts');
    const r = wirecheck(['scan', '--staged', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.out);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.findings.map((f: { location: { file: string } }) => f.location.file), ['src/new.ts'], 'the renamed file is analysed under its new name; the deleted one is not');
    // a rename that also fixes the file passes
    write(dir, 'src/new.ts', SAFE);
    git(dir, 'add', 'src/new.ts');
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
    // only a deletion staged: nothing to analyse
    git(dir, 'reset', '-q');
    fs.rmSync(path.join(dir, 'src/new.ts'));
    git(dir, 'add', '-A');
    const d = wirecheck(['scan', '--staged'], dir);
    assert.equal(d.code, 0, d.out);
  });

  it('file names with spaces and unicode', () => {
    const dir = tmpRepo({ 'README.md': '#\n' });
    commitAll(dir);
    const name = 'src/mein ordner/antwört – v2.ts';
    write(dir, name, UNSAFE);
    git(dir, 'add', '-A');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 1, r.out);
    assert.ok(r.stdout.includes(`${name}:11:`), r.stdout);
    // passed as a file argument, as lint-staged does (absolute) or relative with spaces
    assert.equal(wirecheck(['scan', '--staged', path.join(dir, name)], dir).code, 1);
    assert.equal(wirecheck(['scan', '--staged', name], dir).code, 1);
  });

  it('no staged files → exit 0 with a short message; a staged non-source file too', () => {
    const dir = tmpRepo({ 'src/reply.ts': UNSAFE });
    commitAll(dir);
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /no staged TypeScript or JavaScript files/);
    write(dir, 'notes.md', 'hello\n');
    write(dir, 'src/types.d.ts', 'export type X = string;\n');
    git(dir, 'add', '-A');
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
  });

  it('a repository with no commits yet', () => {
    const dir = tmpRepo({ 'src/reply.ts': UNSAFE, 'src/ok.ts': SAFE });
    git(dir, 'add', '-A');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.stdout, /src\/reply\.ts:11:/);
    assert.match(r.stdout, /in 1 of 2 staged files/);
    write(dir, 'src/reply.ts', SAFE);
    git(dir, 'add', '-A');
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
  });

  it('a merge in progress: conflicted paths use "our" side with a note; a resolved merge checks the result', () => {
    const dir = tmpRepo({ 'src/reply.ts': SAFE, 'src/other.ts': 'export const a = 1;\n' });
    commitAll(dir);
    git(dir, 'checkout', '-q', '-b', 'side');
    write(dir, 'src/reply.ts', UNSAFE);
    write(dir, 'src/other.ts', 'export const a = 2;\n');
    commitAll(dir, 'side');
    git(dir, 'checkout', '-q', 'main');
    write(dir, 'src/other.ts', 'export const a = 3;\n');
    commitAll(dir, 'main');
    const m = gitRun(dir, 'merge', 'side');
    assert.notEqual(m.code, 0, 'the merge stops on a conflict');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.stdout, /src\/reply\.ts:11:/, 'the cleanly merged unsafe file is checked');
    assert.match(r.stdout, /src\/other\.ts: has merge conflicts/);
    assert.match(r.stdout, /merge is in progress/);
    // resolve and fix: the merge commit may go ahead
    write(dir, 'src/other.ts', 'export const a = 4;\n');
    write(dir, 'src/reply.ts', SAFE);
    git(dir, 'add', '-A');
    const ok = wirecheck(['scan', '--staged'], dir);
    assert.equal(ok.code, 0, ok.out);
  });

  it('file arguments as lint-staged passes them read the staged content, and limit the check to them', () => {
    const dir = tmpRepo({ 'README.md': '#\n' });
    commitAll(dir);
    write(dir, 'a.ts', UNSAFE);
    write(dir, 'b c.ts', UNSAFE_OPENAI);
    git(dir, 'add', '-A');
    write(dir, 'a.ts', SAFE); // the working tree is safe, the index is not
    write(dir, 'b c.ts', SAFE);
    const both = wirecheck(['scan', '--staged', 'a.ts', 'b c.ts', '--format', 'json'], dir);
    assert.equal(both.code, 1, both.out);
    assert.deepEqual([...new Set(JSON.parse(both.stdout).findings.map((f: { location: { file: string } }) => f.location.file))].sort(), ['a.ts', 'b c.ts']);
    const one = wirecheck(['scan', '--staged', path.join(dir, 'b c.ts')], dir);
    assert.equal(one.code, 1);
    assert.match(one.stdout, /b c\.ts:\d+:/);
    assert.doesNotMatch(one.stdout, /\ba\.ts:/);
    // a named file without staged changes is skipped with a note
    const none = wirecheck(['scan', '--staged', 'README.md'], dir);
    assert.equal(none.code, 0, none.out);
    // from a subfolder, paths are relative to it
    fs.mkdirSync(path.join(dir, 'sub'));
    assert.equal(wirecheck(['scan', '--staged', '../a.ts'], path.join(dir, 'sub')).code, 1);
  });

  it('cross-file flow: a staged file importing a committed helper uses the committed helper, not its working-tree edit', () => {
    const helperUnsafe = 'export function systemFor(persona: string): string {\n  return `Answer as ${persona}.`;\n}\n';
    const helperSafe =
      "const PERSONAS = ['pirate', 'lawyer'];\nexport function systemFor(persona: string): string {\n  if (!PERSONAS.includes(persona)) throw new Error('unknown persona');\n  return `Answer as ${persona}.`;\n}\n";
    const route = SAFE.replace("import express from 'express';", "import express from 'express';\nimport { systemFor } from './persona';").replace(
      "system: 'Answer briefly and politely.',",
      'system: systemFor(String(req.query.persona)),',
    );
    const dir = tmpRepo({ 'src/persona.ts': helperUnsafe, 'src/reply.ts': SAFE });
    commitAll(dir);
    write(dir, 'src/reply.ts', route);
    git(dir, 'add', 'src/reply.ts');
    // the helper is fixed in the working tree only: the commit still contains the unsafe helper
    write(dir, 'src/persona.ts', helperSafe);
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 1, r.out);
    assert.match(r.stdout, /src\/reply\.ts:12:/);
    // staging the fixed helper too makes the commit safe
    git(dir, 'add', 'src/persona.ts');
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
    // a helper that only exists in the working tree (untracked) does not exist for the commit: its
    // allowlist does not count until it is staged
    const dir2 = tmpRepo({ 'README.md': '#\n' });
    commitAll(dir2);
    write(dir2, 'src/reply.ts', route);
    git(dir2, 'add', 'src/reply.ts');
    write(dir2, 'src/persona.ts', helperSafe);
    assert.equal(wirecheck(['scan', 'src/reply.ts'], dir2).code, 0, 'on disk, the helper sanitizes');
    const r2 = wirecheck(['scan', '--staged'], dir2);
    assert.equal(r2.code, 1, r2.out);
    git(dir2, 'add', 'src/persona.ts');
    assert.equal(wirecheck(['scan', '--staged'], dir2).code, 0);
  });

  it('--fail-on and config failOn apply to --staged', () => {
    const dir = tmpRepo({ 'README.md': '#\n', 'wirecheck.config.yaml': 'rules:\n  prompt-injection: warning\n' });
    commitAll(dir);
    write(dir, 'src/reply.ts', UNSAFE);
    git(dir, 'add', 'src/reply.ts');
    const warn = wirecheck(['scan', '--staged'], dir);
    assert.equal(warn.code, 0, 'a warning does not block by default');
    assert.match(warn.stdout, /Not blocking \(below --fail-on error\)/);
    assert.match(warn.stdout, /src\/reply\.ts:11:\d+\s+warning/);
    assert.equal(wirecheck(['scan', '--staged', '--fail-on', 'warning'], dir).code, 1);
    write(dir, 'wirecheck.config.yaml', 'rules:\n  prompt-injection: warning\nfailOn: warning\n');
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 1);
    assert.equal(wirecheck(['scan', '--staged', '--fail-on', 'never'], dir).code, 0);
    // config ignores apply to staged files too
    write(dir, 'wirecheck.config.yaml', "failOn: warning\nignores: ['src/**']\n");
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
  });

  it('a suppression with a reason in the staged content lets the commit through', () => {
    const dir = tmpRepo({ 'README.md': '#\n' });
    commitAll(dir);
    const suppressed = UNSAFE.replace('    system: `', `    // wirecheck-disable-next-line ${RULE} -- persona is validated by the gateway\n    system: \``);
    write(dir, 'src/reply.ts', suppressed);
    git(dir, 'add', '-A');
    write(dir, 'src/reply.ts', UNSAFE); // the working tree lost the comment: the index still has it
    assert.equal(wirecheck(['scan', '--staged'], dir).code, 0);
  });

  it('json and sarif formats work with --staged; outside a repository it is a usage error', () => {
    const dir = tmpRepo({ 'README.md': '#\n' });
    commitAll(dir);
    write(dir, 'src/reply.ts', UNSAFE);
    git(dir, 'add', '-A');
    const s = wirecheck(['scan', '--staged', '--format', 'sarif'], dir);
    assert.equal(s.code, 1);
    assert.equal(JSON.parse(s.stdout).runs[0].results[0].ruleId, RULE);
    const outside = tmpDir('wirecheck-nogit-');
    const r = wirecheck(['scan', '--staged'], outside);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs a git repository/);
  });

  it('skips a staged file over the size limit with a note', () => {
    const dir = tmpRepo({ 'README.md': '#\n' });
    commitAll(dir);
    write(dir, 'src/huge.ts', `export const BLOB = '${'x'.repeat(2_100_000)}';\n` + UNSAFE);
    write(dir, 'src/reply.ts', SAFE);
    git(dir, 'add', '-A');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 0, r.out);
    assert.match(r.stdout, /src\/huge\.ts: skipped, \d+ KB is over the \d+ KB limit/);
    assert.match(r.stdout, /no blocking findings in 1 staged file/);
  });

  it('reads the staged blobs with one batched git process; other files lazily, from the disk when unchanged', () => {
    const files: Record<string, string> = { 'src/helper.ts': 'export const h = 1;\n', 'src/dirty.ts': 'export const d = 1;\n' };
    const dir = tmpRepo(files);
    commitAll(dir);
    for (let i = 0; i < 20; i++) write(dir, `src/f${i}.ts`, `import { h } from './helper';\nexport const v${i} = h + ${i};\n`);
    git(dir, 'add', '-A');
    write(dir, 'src/dirty.ts', 'export const d = 2; // not staged\n');
    // in-process: git must not see the GIT_* variables of a surrounding hook
    const saved = Object.entries(process.env).filter(([k]) => k.startsWith('GIT_'));
    for (const [k] of saved) delete process.env[k];
    let snap: ReturnType<typeof stagedSnapshot>;
    try {
      snap = stagedSnapshot({ repo: findRepo(dir)!, config: {}, paths: [] });
      snap.source(path.join(dir, 'src/dirty.ts')); // the lazy reads run git too
    } finally {
      for (const [k, v] of saved) process.env[k] = v;
    }
    assert.equal(snap.files.length, 20);
    assert.equal(snap.stats.batched, 20);
    assert.equal(snap.stats.lazy, 1, 'one lazy read: the file changed in the working tree');
    assert.equal(snap.source(path.join(dir, 'src/f3.ts')), `import { h } from './helper';\nexport const v3 = h + 3;\n`);
    assert.equal(snap.source(path.join(dir, 'src/helper.ts')), undefined, 'unchanged in the working tree: read from the disk');
    assert.equal(snap.source(path.join(dir, 'src/dirty.ts')), 'export const d = 1;\n', 'changed in the working tree: read from the index (cached)');
    assert.equal(snap.stats.lazy, 1, 'served from the cache the second time');
    assert.equal(snap.source(path.join(dir, 'src/untracked.ts')), null, 'not in the index: does not exist');
    assert.equal(snap.source(path.join(dir, 'node_modules/x/index.js')), undefined, 'dependencies come from the disk');
  });

  it('keeps its constants in step with the engine', () => {
    assert.deepEqual([...STAGED_EXTENSIONS].sort(), [...SOURCE_EXTENSIONS].sort());
    assert.equal(CLI_VERSION, ENGINE_VERSION);
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    assert.equal(CLI_VERSION, pkg.version);
  });

  it('splits a rule message into a one-line reason and a fix hint', () => {
    const m = splitMessage({ category: 'prompt-injection', message: 'Request data from `req.body.text` reaches the `system` of `a.b()` without validation. Send it as a user message.' });
    assert.equal(m.reason, 'Request data from `req.body.text` reaches the `system` of `a.b()` without validation.');
    assert.equal(m.fix, 'Send it as a user message.');
    assert.match(splitMessage({ category: 'output-to-sink', message: 'Model output reaches `eval` without validation.' }).fix, /Validate/);
  });
});
