import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';
import { which } from '../hooks/init';
import { commitAll, ensureBuilt, git, gitRun, read, SAFE, tmpRepo, UNSAFE, wirecheck, write, removeTmpDirs, tmpDir } from './git-fixture';

const PKG = JSON.stringify({ name: 'app', version: '1.0.0', scripts: { test: 'node --test' } }, null, 2) + '\n';
const GLOB = '*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}';

/** Every file under dir except .git, with its content. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('wirecheck init', function () {
  this.timeout(60_000);

  before(ensureBuilt);
  after(removeTmpDirs);

  describe('npm repository (husky 9 + lint-staged)', () => {
    it('--dry-run prints the plan and the content it would write, and writes nothing', () => {
      const dir = tmpRepo({ 'package.json': PKG });
      const before = snapshot(dir);
      const hooksPathBefore = gitRun(dir, 'config', 'core.hooksPath').stdout;
      const r = wirecheck(['init', '--dry-run'], dir);
      assert.equal(r.code, 0, r.out);
      assert.match(r.stdout, /husky 9 \+ lint-staged/);
      assert.match(r.stdout, /would create\s+\.husky\/pre-commit/);
      assert.match(r.stdout, /would update\s+package\.json/);
      assert.match(r.stdout, /would run\s+npm install --save-dev husky@9 lint-staged/);
      assert.match(r.stdout, /--- \.husky\/pre-commit \(new file\) ---\nnpx lint-staged\n/);
      assert.match(r.stdout, /"prepare": "husky"/);
      assert.ok(r.stdout.includes(`"${GLOB}": "wirecheck scan --staged"`));
      assert.match(r.stdout, /Dry run: nothing was written/);
      assert.deepEqual(snapshot(dir), before);
      assert.equal(gitRun(dir, 'config', 'core.hooksPath').stdout, hooksPathBefore);
    });

    it('writes .husky/pre-commit, "prepare": "husky" and the lint-staged entry; a second run changes nothing', () => {
      const dir = tmpRepo({ 'package.json': PKG });
      const r = wirecheck(['init', '--no-install'], dir);
      assert.equal(r.code, 0, r.out);
      assert.equal(read(dir, '.husky/pre-commit'), 'npx lint-staged\n');
      const pkg = JSON.parse(read(dir, 'package.json'));
      assert.equal(pkg.scripts.prepare, 'husky');
      assert.equal(pkg.scripts.test, 'node --test', 'other scripts kept');
      assert.deepEqual(pkg['lint-staged'], { [GLOB]: 'wirecheck scan --staged' });
      assert.match(read(dir, 'package.json'), /^\{\n  "name"/, 'indentation kept');
      assert.match(r.stdout, /TODO.*npm install --save-dev husky@9 lint-staged wirecheck/, 'with --no-install the command is printed');

      const after = snapshot(dir);
      const again = wirecheck(['init', '--no-install'], dir);
      assert.equal(again.code, 0, again.out);
      assert.deepEqual(snapshot(dir), after, 'idempotent');
      assert.match(again.stdout, /unchanged\s+\.husky\/pre-commit/);
      assert.match(again.stdout, /unchanged\s+package\.json/);
      assert.match(again.stdout, /Nothing changed/);
    });

    it('keeps an existing .husky/pre-commit, prepare script and lint-staged config, adding to them', () => {
      const pkg = {
        name: 'app',
        scripts: { prepare: 'tsc -p .' },
        devDependencies: { husky: '^9.1.7', 'lint-staged': '^16.0.0', wirecheck: '^0.1.0' },
        'lint-staged': { [GLOB]: 'eslint --fix', '*.md': 'prettier --write' },
      };
      const dir = tmpRepo({ 'package.json': JSON.stringify(pkg, null, '\t') + '\n', '.husky/pre-commit': 'npm test\n' });
      const r = wirecheck(['init', '--no-install'], dir);
      assert.equal(r.code, 0, r.out);
      assert.equal(read(dir, '.husky/pre-commit'), 'npm test\nnpx lint-staged\n');
      const out = JSON.parse(read(dir, 'package.json'));
      assert.equal(out.scripts.prepare, 'tsc -p . && husky');
      assert.deepEqual(out['lint-staged'], { [GLOB]: ['eslint --fix', 'wirecheck scan --staged'], '*.md': 'prettier --write' });
      assert.match(read(dir, 'package.json'), /^\{\n\t"name"/, 'tab indentation kept');
      assert.doesNotMatch(r.stdout, /npm install --save-dev/, 'nothing to install: all three are devDependencies');
      assert.match(r.stdout, /husky is in package.json but not installed: run `npm install`/);
      const after = snapshot(dir);
      wirecheck(['init', '--no-install'], dir);
      assert.deepEqual(snapshot(dir), after);
    });

    it('merges into .lintstagedrc.json and .lintstagedrc.yaml; leaves a JavaScript config alone and says what to add', () => {
      const json = tmpRepo({ 'package.json': PKG, '.lintstagedrc.json': '{\n  "*.css": "stylelint"\n}\n' });
      assert.equal(wirecheck(['init', '--no-install'], json).code, 0);
      assert.deepEqual(JSON.parse(read(json, '.lintstagedrc.json')), { '*.css': 'stylelint', [GLOB]: 'wirecheck scan --staged' });
      assert.equal(JSON.parse(read(json, 'package.json'))['lint-staged'], undefined);

      const yaml = tmpRepo({ 'package.json': PKG, '.lintstagedrc.yaml': '# linters\n"*.css": stylelint\n' });
      assert.equal(wirecheck(['init', '--no-install'], yaml).code, 0);
      const y = read(yaml, '.lintstagedrc.yaml');
      assert.match(y, /^# linters/);
      assert.deepEqual(YAML.parse(y), { '*.css': 'stylelint', [GLOB]: 'wirecheck scan --staged' });

      const jsConfig = 'export default { "*.ts": "eslint" };\n';
      const js = tmpRepo({ 'package.json': PKG, 'lint-staged.config.mjs': jsConfig });
      const r = wirecheck(['init', '--no-install'], js);
      assert.equal(r.code, 0, r.out);
      assert.equal(read(js, 'lint-staged.config.mjs'), jsConfig);
      assert.match(r.stdout, /TODO\s+lint-staged\.config\.mjs\s+.*wirecheck scan --staged/);
    });

    it('does not append after an `exit` in an existing husky hook', () => {
      const hook = 'npm test\nexit 0\n';
      const dir = tmpRepo({ 'package.json': PKG, '.husky/pre-commit': hook });
      const r = wirecheck(['init', '--no-install'], dir);
      assert.equal(r.code, 0, r.out);
      assert.equal(read(dir, '.husky/pre-commit'), hook);
      assert.match(r.stdout, /TODO\s+\.husky\/pre-commit/);
    });
  });

  describe('repository without package.json', () => {
    it('writes a pre-commit framework hook, or a plain .git/hooks/pre-commit when pre-commit is not installed', () => {
      const dir = tmpRepo({ 'train.py': 'print(1)\n' });
      const r = wirecheck(['init', '--no-install'], dir);
      assert.equal(r.code, 0, r.out);
      if (which('pre-commit')) {
        assert.ok(fs.existsSync(path.join(dir, '.pre-commit-config.yaml')));
      } else {
        assert.match(r.stdout, /plain git hook/);
        const hook = read(dir, '.git/hooks/pre-commit');
        assert.match(hook, /^#!\/bin\/sh\n/);
        assert.match(hook, /scan --staged \|\| exit \$\?/);
        assert.ok(fs.statSync(path.join(dir, '.git/hooks/pre-commit')).mode & 0o100, 'executable');
        assert.ok(!fs.existsSync(path.join(dir, '.pre-commit-config.yaml')));
      }
      const after = snapshot(dir);
      const hookAfter = fs.existsSync(path.join(dir, '.git/hooks/pre-commit')) ? read(dir, '.git/hooks/pre-commit') : '';
      assert.match(wirecheck(['init', '--no-install'], dir).stdout, /unchanged/);
      assert.deepEqual(snapshot(dir), after);
      assert.equal(fs.existsSync(path.join(dir, '.git/hooks/pre-commit')) ? read(dir, '.git/hooks/pre-commit') : '', hookAfter);
    });

    it('--dry-run writes nothing there either', () => {
      const dir = tmpRepo({ 'train.py': 'print(1)\n' });
      const r = wirecheck(['init', '--dry-run', '--hook', 'git'], dir);
      assert.equal(r.code, 0, r.out);
      assert.match(r.stdout, /would create\s+\.git\/hooks\/pre-commit/);
      assert.match(r.stdout, /#!\/bin\/sh/);
      assert.ok(!fs.existsSync(path.join(dir, '.git/hooks/pre-commit')));
    });

    it('merges into an existing .pre-commit-config.yaml (comments and other hooks kept, the name quoted)', () => {
      const config = [
        '# our hooks',
        'repos:',
        '  - repo: https://github.com/psf/black',
        '    rev: 24.1.0',
        '    hooks:',
        '      - id: black',
        '  - repo: local',
        '    hooks:',
        '      - id: pytest',
        '        name: "pytest: unit tests"',
        '        entry: pytest -q',
        '        language: system',
        '        pass_filenames: false',
        '',
      ].join('\n');
      const dir = tmpRepo({ 'train.py': 'print(1)\n', '.pre-commit-config.yaml': config });
      const r = wirecheck(['init', '--no-install'], dir);
      assert.equal(r.code, 0, r.out);
      assert.match(r.stdout, /\.pre-commit-config\.yaml found/);
      const text = read(dir, '.pre-commit-config.yaml');
      assert.match(text, /^# our hooks\n/);
      assert.match(text, /name: "wirecheck: unsafe LLM wiring"/, 'a name with ": " must be quoted');
      const data = YAML.parse(text);
      assert.equal(data.repos.length, 2, 'added to the existing repo: local entry');
      assert.equal(data.repos[0].hooks[0].id, 'black');
      const hooks = data.repos[1].hooks;
      assert.deepEqual(hooks.map((h: { id: string }) => h.id), ['pytest', 'wirecheck']);
      const w = hooks[1];
      assert.equal(w.language, 'system');
      assert.equal(w.pass_filenames, true);
      assert.equal(w.files, '\\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$');
      assert.match(w.entry, /scan --staged$/);
      assert.ok(!fs.existsSync(path.join(dir, '.git/hooks/pre-commit')), 'pre-commit install is left to the user with --no-install');
      // idempotent
      assert.equal(wirecheck(['init', '--no-install'], dir).code, 0);
      assert.equal(read(dir, '.pre-commit-config.yaml'), text);
      // a config that is not YAML is not touched
      write(dir, '.pre-commit-config.yaml', 'repos: [\n');
      const bad = wirecheck(['init', '--no-install'], dir);
      assert.equal(bad.code, 2);
      assert.equal(read(dir, '.pre-commit-config.yaml'), 'repos: [\n');
    });

    it('--hook pre-commit creates a config with a repo: local hook', () => {
      const dir = tmpRepo({ 'train.py': 'print(1)\n' });
      assert.equal(wirecheck(['init', '--no-install', '--hook', 'pre-commit'], dir).code, 0);
      const data = YAML.parse(read(dir, '.pre-commit-config.yaml'));
      assert.equal(data.repos[0].repo, 'local');
      assert.equal(data.repos[0].hooks[0].id, 'wirecheck');
    });

    it('appends to an existing shell hook, and leaves a hook that exits early or is not a shell script alone', () => {
      const dir = tmpRepo({ 'train.py': 'print(1)\n' });
      const hookFile = path.join(dir, '.git/hooks/pre-commit');
      fs.writeFileSync(hookFile, '#!/bin/sh\nflake8 .\n', { mode: 0o755 });
      assert.equal(wirecheck(['init', '--hook', 'git'], dir).code, 0);
      const text = fs.readFileSync(hookFile, 'utf8');
      assert.match(text, /^#!\/bin\/sh\nflake8 \.\n# >>> wirecheck >>>/);
      fs.writeFileSync(hookFile, '#!/bin/sh\nexec flake8 .\n');
      const r = wirecheck(['init', '--hook', 'git'], dir);
      assert.match(r.stdout, /TODO/);
      assert.equal(fs.readFileSync(hookFile, 'utf8'), '#!/bin/sh\nexec flake8 .\n');
      fs.writeFileSync(hookFile, '#!/usr/bin/env python3\nprint(1)\n');
      assert.match(wirecheck(['init', '--hook', 'git'], dir).stdout, /not a shell script/);
      assert.equal(fs.readFileSync(hookFile, 'utf8'), '#!/usr/bin/env python3\nprint(1)\n');
    });

    it('the plain hook blocks an unsafe commit, lets a safe one through, and --no-verify bypasses it', () => {
      const dir = tmpRepo({ 'train.py': 'print(1)\n' });
      commitAll(dir);
      assert.equal(wirecheck(['init', '--hook', 'git'], dir).code, 0);
      write(dir, 'web/reply.ts', UNSAFE);
      git(dir, 'add', '-A');
      const blocked = gitRun(dir, 'commit', '-m', 'unsafe');
      assert.notEqual(blocked.code, 0);
      assert.match(blocked.stdout + blocked.stderr, /web\/reply\.ts:11:/);
      assert.equal(git(dir, 'rev-list', '--count', 'HEAD').trim(), '1', 'no commit was made');
      write(dir, 'web/reply.ts', SAFE);
      git(dir, 'add', '-A');
      assert.equal(gitRun(dir, 'commit', '-m', 'safe').code, 0);
      write(dir, 'web/reply.ts', UNSAFE);
      git(dir, 'add', '-A');
      assert.equal(gitRun(dir, 'commit', '--no-verify', '-m', 'bypass').code, 0);
      assert.equal(git(dir, 'rev-list', '--count', 'HEAD').trim(), '3');
      // `git commit <path>` and `git commit -a` commit the working tree copy through a temporary
      // index (GIT_INDEX_FILE): the hook checks that, not the regular index
      write(dir, 'web/reply.ts', SAFE);
      git(dir, 'add', '-A');
      write(dir, 'web/reply.ts', UNSAFE + '// v3\n');
      const only = gitRun(dir, 'commit', '-m', 'only', 'web/reply.ts');
      assert.notEqual(only.code, 0, 'the unsafe working tree copy is what `git commit <path>` commits');
      assert.match(only.stdout + only.stderr, /web\/reply\.ts:11:/);
      assert.notEqual(gitRun(dir, 'commit', '-a', '-m', 'all').code, 0);
      write(dir, 'web/reply.ts', SAFE + '// v2\n');
      git(dir, 'add', '-A');
      write(dir, 'web/reply.ts', UNSAFE + '// v4\n');
      assert.equal(gitRun(dir, 'commit', '-m', 'staged only').code, 0, 'a plain commit takes the (safe) index');
    });
  });

  it('outside a git repository it is an error; unknown options are usage errors', () => {
    const dir = tmpDir('wirecheck-nogit-');
    const r = wirecheck(['init'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /not inside a git repository/);
    assert.equal(wirecheck(['init', '--hook', 'lefthook'], dir).code, 2);
  });
});
