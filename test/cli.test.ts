import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SAFE, UNSAFE, ensureBuilt, removeTmpDirs, repoRoot as repo, tmpDir, wirecheck as run, write } from './git-fixture';

function project(files: Record<string, string>): string {
  const dir = tmpDir('wirecheck-cli-');
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

describe('wirecheck CLI', function () {
  this.timeout(60_000);

  before(ensureBuilt);
  after(removeTmpDirs);

  it('exits 1 and prints file:line, the rule id and a summary when a blocking finding exists', () => {
    const dir = project({ 'src/reply.ts': UNSAFE });
    const r = run(['scan'], dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /src\/reply\.ts/);
    assert.match(r.stdout, /11:\d+\s+error/);
    assert.match(r.stdout, /prompt-injection\/untrusted-input-in-instructions/);
    assert.match(r.stdout, /1 problem/);
    assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
  });

  it('exits 0 when nothing is found, and with --fail-on never', () => {
    assert.equal(run(['scan'], project({ 'src/reply.ts': SAFE })).code, 0);
    assert.equal(run(['scan', '--fail-on', 'never'], project({ 'src/reply.ts': UNSAFE })).code, 0);
  });

  it('applies failOn and rule severities from the config file', () => {
    const dir = project({ 'src/reply.ts': UNSAFE, 'wirecheck.config.yaml': 'rules:\n  prompt-injection: warning\n' });
    assert.equal(run(['scan'], dir).code, 0, 'a warning does not block by default');
    assert.equal(run(['scan', '--fail-on', 'warning'], dir).code, 1);
    fs.writeFileSync(path.join(dir, 'wirecheck.config.yaml'), 'rules:\n  prompt-injection: warning\nfailOn: warning\n');
    assert.equal(run(['scan'], dir).code, 1);
  });

  it('writes json and sarif reports', () => {
    const dir = project({ 'src/reply.ts': UNSAFE, 'src/safe.ts': SAFE });
    const j = run(['scan', '--format', 'json'], dir);
    const report = JSON.parse(j.stdout);
    assert.equal(report.findings.length, 1);
    assert.equal(report.findings[0].location.file, 'src/reply.ts');
    const s = run(['scan', '--format', 'sarif', '--output', 'out/report.sarif'], dir);
    assert.equal(s.code, 1);
    assert.equal(s.stdout, '');
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results[0].ruleId, 'prompt-injection/untrusted-input-in-instructions');
  });

  it('exits 2 with a clear message for a broken config, an unknown option or a missing path', () => {
    const dir = project({ 'src/reply.ts': SAFE, 'wirecheck.config.yaml': 'rules:\n  prompt-injection: loud\n' });
    const bad = run(['scan'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /wirecheck\.config\.yaml: invalid configuration/);
    const syntax = project({ 'wirecheck.config.json': '{ "rules": ' });
    assert.equal(run(['scan'], syntax).code, 2);
    assert.match(run(['scan'], syntax).stderr, /wirecheck\.config\.json: cannot parse/);
    const opt = run(['scan', '--frobnicate'], project({ 'a.ts': SAFE }));
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /frobnicate/);
    const missing = run(['scan', 'nope/'], project({ 'a.ts': SAFE }));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder: nope/);
  });

  it('skips node_modules and build output and honours .gitignore', () => {
    const dir = project({
      'node_modules/lib/index.js': UNSAFE,
      'dist/server.js': UNSAFE,
      'generated/reply.ts': UNSAFE,
      '.gitignore': 'generated/\n',
      'src/ok.ts': SAFE,
    });
    const r = run(['scan', '--format', 'json'], dir);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(JSON.parse(r.stdout).findings.length, 0);
  });

  it('lists the rules with their categories', () => {
    const r = run(['rules', '--format', 'json'], repo);
    assert.equal(r.code, 0);
    const rules = JSON.parse(r.stdout) as { id: string; category: string; cwe: string[] }[];
    assert.deepEqual(rules.map((x) => x.category).sort(), ['output-to-sink', 'overprivileged-tool', 'prompt-injection', 'rag-as-instructions', 'unpinned-model']);
    assert.ok(rules.filter((x) => x.category === 'prompt-injection' || x.category === 'rag-as-instructions').every((x) => x.cwe.includes('CWE-1427')));
    assert.ok(rules.find((x) => x.category === 'unpinned-model')!.cwe.includes('CWE-494'));
  });

  it('scans the bundled example app (the Quick start job)', () => {
    const r = run(['scan', 'examples/support-app', '--format', 'json'], repo);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout);
    const cats = report.findings.map((f: { category: string }) => f.category);
    assert.ok(cats.filter((c: string) => c === 'prompt-injection').length >= 4);
    assert.ok(cats.filter((c: string) => c === 'rag-as-instructions').length >= 3);
  });
});
