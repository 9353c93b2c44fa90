import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatBaseline } from '../hooks/baseline';
import { commitAll, ensureBuilt, git, read, SAFE, tmpRepo, UNSAFE, UNSAFE_OPENAI, wirecheck, write, removeTmpDirs, tmpDir } from './git-fixture';

const NAME = '.wirecheck-baseline.json';

interface Entry {
  fingerprint: string;
  ruleId: string;
  file: string;
  snippet: string;
}

function entries(dir: string, name = NAME): Entry[] {
  return JSON.parse(read(dir, name)).findings;
}

describe('wirecheck baseline', function () {
  this.timeout(60_000);

  before(ensureBuilt);
  after(removeTmpDirs);

  it('writes sorted, stable JSON with fingerprint, rule, file and snippet; old findings then pass and a new one blocks', () => {
    const dir = tmpRepo({ 'src/b.ts': UNSAFE, 'src/a.ts': UNSAFE_OPENAI, 'src/ok.ts': SAFE });
    commitAll(dir);
    const w = wirecheck(['baseline'], dir);
    assert.equal(w.code, 0, w.out);
    assert.match(w.stdout, /wrote \.wirecheck-baseline\.json: 2 findings accepted/);
    const text = read(dir, NAME);
    const es = entries(dir);
    assert.deepEqual(es.map((e) => e.file), ['src/a.ts', 'src/b.ts'], 'sorted by file');
    for (const e of es) {
      assert.match(e.fingerprint, /^[0-9a-f]{16}/);
      assert.ok(e.ruleId.startsWith('prompt-injection/'));
      assert.ok(e.snippet.length > 0 && e.snippet.length <= 100);
    }
    assert.match(es[1].snippet, /Answer as \$\{req\.query\.persona\}/);
    // regenerating gives the same bytes
    assert.equal(wirecheck(['baseline'], dir).code, 0);
    assert.equal(read(dir, NAME), text);

    // a plain scan with the baseline passes; without it, it fails
    assert.equal(wirecheck(['scan'], dir).code, 1);
    const withBase = wirecheck(['scan', '--baseline', NAME], dir);
    assert.equal(withBase.code, 0, withBase.out);
    assert.match(withBase.stderr, /2 known findings/);

    // --staged picks the baseline up by itself: touching an old finding's file is fine…
    write(dir, 'src/b.ts', '// a comment on top\n' + UNSAFE);
    git(dir, 'add', '-A');
    const staged = wirecheck(['scan', '--staged'], dir);
    assert.equal(staged.code, 0, staged.out);
    assert.match(staged.stdout, /1 accepted by the baseline/);
    // …but a new finding blocks
    write(dir, 'src/c.ts', UNSAFE);
    git(dir, 'add', '-A');
    const blocked = wirecheck(['scan', '--staged'], dir);
    assert.equal(blocked.code, 1, blocked.out);
    assert.match(blocked.stdout, /src\/c\.ts:11:/);
    assert.doesNotMatch(blocked.stdout, /src\/b\.ts:12:/);
    // and a second, new finding in a file that already has a baselined one blocks too
    write(dir, 'src/c.ts', SAFE);
    write(dir, 'src/b.ts', UNSAFE + UNSAFE_OPENAI.split('\n').slice(6).join('\n').replace('/ask', '/ask2'));
    git(dir, 'add', '-A');
    const second = wirecheck(['scan', '--staged', '--format', 'json'], dir);
    assert.equal(second.code, 1, second.out);
    assert.deepEqual(JSON.parse(second.stdout).findings.map((f: { location: { file: string; start: { line: number } } }) => `${f.location.file}:${f.location.start.line}`), ['src/b.ts:20']);
  });

  it('fingerprints survive line moves and unrelated edits', () => {
    const dir = tmpRepo({ 'src/reply.ts': UNSAFE });
    commitAll(dir);
    assert.equal(wirecheck(['baseline'], dir).code, 0);
    const moved = `// header\nimport { z } from 'zod';\n\nexport const Schema = z.object({ a: z.string() });\n\n${UNSAFE.replace("res.json(msg.content);", 'res.status(200).json(msg.content);')}\nexport function unrelated() {\n  return 42;\n}\n`;
    write(dir, 'src/reply.ts', moved);
    git(dir, 'add', '-A');
    const r = wirecheck(['scan', '--staged'], dir);
    assert.equal(r.code, 0, r.out);
    assert.equal(wirecheck(['scan', '--baseline', NAME], dir).code, 0);
  });

  it('--prune drops entries that no longer match and keeps the rest', () => {
    const dir = tmpRepo({ 'src/a.ts': UNSAFE_OPENAI, 'src/b.ts': UNSAFE, 'src/c.ts': UNSAFE });
    commitAll(dir);
    assert.equal(wirecheck(['baseline'], dir).code, 0);
    assert.equal(entries(dir).length, 3);
    write(dir, 'src/b.ts', SAFE);
    fs.rmSync(path.join(dir, 'src/c.ts'));
    write(dir, 'src/new.ts', UNSAFE); // new findings are not added by --prune
    const p = wirecheck(['baseline', '--prune'], dir);
    assert.equal(p.code, 0, p.out);
    assert.match(p.stdout, /dropped 2 entries/);
    assert.deepEqual(entries(dir).map((e) => e.file), ['src/a.ts']);
    // pruning again changes nothing
    const before = read(dir, NAME);
    assert.equal(wirecheck(['baseline', '--prune'], dir).code, 0);
    assert.equal(read(dir, NAME), before);
    // --prune without a baseline is an error
    fs.rmSync(path.join(dir, NAME));
    assert.equal(wirecheck(['baseline', '--prune'], dir).code, 2);
  });

  it('paths given as ./x.ts, x.ts or absolute behave the same, and only replace their own entries', () => {
    const dir = tmpRepo({ 'src/a.ts': UNSAFE_OPENAI, 'src/b.ts': UNSAFE });
    commitAll(dir);
    const results: string[] = [];
    for (const arg of ['./src/a.ts', 'src/a.ts', path.join(dir, 'src/a.ts')]) {
      fs.rmSync(path.join(dir, NAME), { force: true });
      const r = wirecheck(['baseline', arg], dir);
      assert.equal(r.code, 0, r.out);
      results.push(read(dir, NAME));
    }
    assert.equal(results[1], results[0]);
    assert.equal(results[2], results[0]);
    assert.deepEqual(entries(dir).map((e) => e.file), ['src/a.ts']);
    // from a subfolder, relative to it; the baseline stays at the repository top
    const r = wirecheck(['baseline', 'b.ts'], path.join(dir, 'src'));
    assert.equal(r.code, 0, r.out);
    assert.deepEqual(entries(dir).map((e) => e.file), ['src/a.ts', 'src/b.ts'], 'adding b.ts kept the entry for a.ts');
    for (const arg of ['./src/b.ts', 'src/b.ts', path.join(dir, 'src/b.ts')]) assert.equal(wirecheck(['scan', '--baseline', NAME, arg], dir).code, 0, arg);
    assert.equal(wirecheck(['scan', '--baseline', '../' + NAME, 'b.ts'], path.join(dir, 'src')).code, 0, 'scan from a subfolder matches the top-level baseline');
    assert.equal(wirecheck(['scan', '--baseline', path.join(dir, NAME)], dir).code, 0);
    // a missing path is an error
    assert.equal(wirecheck(['baseline', 'nope.ts'], dir).code, 2);
  });

  it('a missing (explicitly named) or corrupt baseline is an error with exit 2, not a pass', () => {
    const dir = tmpRepo({ 'src/reply.ts': UNSAFE });
    commitAll(dir);
    const missing = wirecheck(['scan', '--baseline', 'nope.json'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.json: baseline file not found/);
    const missingStaged = wirecheck(['scan', '--staged', '--baseline', 'nope.json'], dir);
    assert.equal(missingStaged.code, 2);

    write(dir, NAME, '{ "version": 1, "findings": [ ');
    const corrupt = wirecheck(['scan', '--baseline', NAME], dir);
    assert.equal(corrupt.code, 2);
    assert.match(corrupt.stderr, /not valid JSON/);
    write(dir, 'src/reply.ts', UNSAFE + '\n');
    git(dir, 'add', 'src/reply.ts');
    const corruptStaged = wirecheck(['scan', '--staged'], dir);
    assert.equal(corruptStaged.code, 2, 'the implicit baseline at the top is read, and a corrupt one is an error');
    assert.match(corruptStaged.stderr, /\.wirecheck-baseline\.json/);
    write(dir, NAME, JSON.stringify({ version: 1, findings: [{ fingerprint: 3 }] }));
    assert.match(wirecheck(['scan', '--baseline', NAME], dir).stderr, /findings\[0\] needs string "fingerprint"/);
    write(dir, NAME, JSON.stringify({ version: 7, findings: [] }));
    assert.match(wirecheck(['scan', '--baseline', NAME], dir).stderr, /unsupported "version" 7/);
    // `wirecheck baseline` (a full rewrite) regenerates a corrupt file
    assert.equal(wirecheck(['baseline'], dir).code, 0);
    assert.equal(entries(dir).length, 1);
  });

  it('works outside git: the baseline goes in the current folder', () => {
    const dir = tmpDir('wirecheck-nogit-');
    write(dir, 'x.ts', UNSAFE);
    assert.equal(wirecheck(['baseline'], dir).code, 0);
    assert.ok(fs.existsSync(path.join(dir, NAME)));
    assert.equal(wirecheck(['scan', '--baseline', NAME], dir).code, 0);
  });

  it('formats entries in code-unit order, deduplicated', () => {
    const e = (file: string, fp: string) => ({ fingerprint: fp, ruleId: 'r', file, snippet: '' });
    const json = JSON.parse(formatBaseline([e('b.ts', '2'), e('B.ts', '1'), e('a.ts', '3'), e('b.ts', '2')]));
    assert.deepEqual(json.findings.map((x: Entry) => x.file), ['B.ts', 'a.ts', 'b.ts']);
    assert.equal(json.version, 1);
  });
});
