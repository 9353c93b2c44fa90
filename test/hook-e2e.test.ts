/**
 * End to end, as a user would: pack this package, install it with husky 9 and lint-staged into a
 * fresh npm project (from the npm registry or its cache), run `npx wirecheck init`, and commit.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commitAll, ensureBuilt, git, gitRun, repoRoot, SAFE, testEnv, tmpRepo, UNSAFE, write, removeTmpDirs, tmpDir } from './git-fixture';

function run(cmd: string, args: string[], cwd: string, timeout = 240_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: testEnv({ npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false' }), timeout });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

describe('pre-commit hook end to end (npm pack + husky 9 + lint-staged)', function () {
  this.timeout(600_000);

  let app: string;

  after(removeTmpDirs);

  before(function () {
    ensureBuilt();
    const packDir = tmpDir('wirecheck-pack-');
    // --ignore-scripts: packing must not run this repository's own `prepare` (husky) script
    const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir, '--json'], repoRoot);
    assert.equal(pack.code, 0, pack.out);
    const tarball = fs.readdirSync(packDir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, `no tarball in ${packDir}: ${pack.out}`);

    app = tmpRepo({ 'package.json': JSON.stringify({ name: 'e2e-app', version: '1.0.0', private: true }, null, 2) + '\n', '.gitignore': 'node_modules/\n' }, 'wirecheck-e2e-');
    const install = run('npm', ['install', '--save-dev', path.join(packDir, tarball!), 'husky@9.1.7', 'lint-staged@16.4.0', '--no-audit', '--no-fund', '--prefer-offline'], app);
    assert.equal(install.code, 0, install.out);
    commitAll(app, 'initial');
  });

  it('`npx wirecheck init` sets up husky and lint-staged', () => {
    const r = run('npx', ['--no-install', 'wirecheck', 'init'], app);
    assert.equal(r.code, 0, r.out);
    assert.equal(fs.readFileSync(path.join(app, '.husky/pre-commit'), 'utf8'), 'npx lint-staged\n');
    const pkg = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.prepare, 'husky');
    assert.equal(pkg['lint-staged']['*.{ts,tsx,js,jsx,mjs,cjs,mts,cts}'], 'wirecheck scan --staged');
    assert.equal(git(app, 'config', 'core.hooksPath').trim(), '.husky/_', 'husky activated the hooks');
    git(app, 'add', '-A');
    git(app, 'commit', '-q', '--no-verify', '-m', 'wirecheck init');
  });

  it('blocks a commit that stages unsafe wiring, and names the file', () => {
    write(app, 'src/reply.ts', UNSAFE);
    git(app, 'add', '-A');
    const r = gitRun(app, 'commit', '-m', 'unsafe');
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    const out = r.stdout + r.stderr;
    assert.match(out, /src\/reply\.ts:11:\d+/);
    assert.match(out, /prompt-injection\/untrusted-input-in-instructions/);
    assert.match(out, /--no-verify/);
    assert.equal(git(app, 'rev-list', '--count', 'HEAD').trim(), '2', 'no commit was made');
    assert.equal(fs.readFileSync(path.join(app, 'src/reply.ts'), 'utf8'), UNSAFE, 'lint-staged left the file as it was');
  });

  it('lets a safe commit through', () => {
    write(app, 'src/reply.ts', SAFE);
    git(app, 'add', '-A');
    const r = gitRun(app, 'commit', '-m', 'safe');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(git(app, 'rev-list', '--count', 'HEAD').trim(), '3');
  });

  it('checks the staged version when the working tree differs (partially staged file)', () => {
    write(app, 'src/reply.ts', UNSAFE);
    git(app, 'add', '-A');
    write(app, 'src/reply.ts', SAFE + '// fixed, but not staged\n');
    const r = gitRun(app, 'commit', '-m', 'unsafe staged');
    assert.notEqual(r.code, 0, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(path.join(app, 'src/reply.ts'), 'utf8'), SAFE + '// fixed, but not staged\n', 'the unstaged change survived');
  });

  it('`git commit --no-verify` bypasses the hook', () => {
    const r = gitRun(app, 'commit', '--no-verify', '-m', 'bypass');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(git(app, 'rev-list', '--count', 'HEAD').trim(), '4');
  });
});
