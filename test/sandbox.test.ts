/**
 * The sandbox launcher, tested by really trying to escape: a probe (test/sandbox/probe.js) runs
 * inside the sandbox against a fake home with keys and cloud credentials, a workspace with .env
 * files, a host HTTP server and a host unix socket, as root and as an unprivileged user, with
 * both backends, through the built CLI. Plus the refusal when a tool is missing, exit codes,
 * policy files and the library API.
 *
 * The fixtures live under /var/tmp, not /tmp: the bubblewrap backend hides /tmp, and a fake
 * home there would be invisible for a reason that proves nothing.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, ensureBuilt, repoRoot } from './git-fixture';
import {
  checkSandbox,
  commandForFile,
  describeRun,
  hostAllowed,
  loadSandboxPolicy,
  readPolicyFile,
  runInSandbox,
  sandboxCommandLine,
  scrubEnv,
  secretReason,
  validatePolicy,
  type BackendName,
} from '../hooks/sandbox';
import { seccompProgram } from '../hooks/sandbox/bubblewrap';

const PROBE = path.join(repoRoot, 'test', 'sandbox', 'probe.js');
const NOBODY = 65534;
const BACKENDS: BackendName[] = ['sandbox-runtime', 'bubblewrap'];
const FIXTURE_PARENT = fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir();

const roots: string[] = [];

interface Fixture {
  root: string;
  home: string;
  ws: string;
  outside: string;
  socket: string;
}

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function chownTree(p: string, uid: number) {
  fs.lchownSync(p, uid, uid);
  if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chownTree(path.join(p, e), uid);
}

/** A fake home with credentials, a workspace with .env files, and a folder outside both. */
function makeFixture(owner?: number): Fixture {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(FIXTURE_PARENT, 'wirecheck-sandbox-test-')));
  roots.push(root);
  fs.chmodSync(root, 0o755);
  const home = path.join(root, 'home');
  const ws = path.join(root, 'ws');
  const outside = path.join(root, 'outside');
  write(path.join(home, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE-KEY-MATERIAL\n-----END OPENSSH PRIVATE KEY-----\n');
  write(path.join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIAFAKEFAKEFAKEFAKE\naws_secret_access_key = fake-secret\n');
  write(path.join(home, '.config', 'gcloud', 'application_default_credentials.json'), '{"type":"authorized_user","refresh_token":"fake"}\n');
  write(path.join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_fakefakefakefakefakefakefakefakefake\n');
  write(path.join(home, '.bashrc'), '# original bashrc\n');
  write(path.join(home, 'notes.txt'), 'not a secret\n');
  write(path.join(ws, '.env'), 'OPENAI_API_KEY=sk-from-dotenv-file\n');
  write(path.join(ws, 'config', '.env.production'), 'DATABASE_PASSWORD=hunter2\n');
  write(path.join(ws, 'data', 'train.csv'), 'x,y\n1,2\n');
  write(path.join(ws, '.git', 'config'), '[core]\n\tbare = false\n');
  fs.mkdirSync(path.join(ws, '.git', 'hooks'), { recursive: true });
  fs.mkdirSync(outside);
  fs.chmodSync(path.join(home, '.ssh'), 0o700);
  if (owner !== undefined) chownTree(root, owner);
  return { root, home, ws, outside, socket: path.join(root, 'host-service.sock') };
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CLI as another user runs it: the checkout itself when that user can reach it, otherwise an
 * installed copy (dist/ and the runtime dependencies) in a folder anyone can read — a checkout under
 * a private folder (a mktemp dir, /root) is out of reach for `nobody`, as it would be for a real user.
 */
let cliForOthers = cli;

function installForOtherUsers(): void {
  if (spawnSync('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', '--', 'test', '-r', cli]).status === 0) return;
  const stage = fs.realpathSync(fs.mkdtempSync(path.join(FIXTURE_PARENT, 'wirecheck-installed-')));
  roots.push(stage);
  fs.chmodSync(stage, 0o755);
  fs.cpSync(path.join(repoRoot, 'dist'), path.join(stage, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(stage, 'package.json'));
  // the production dependency closure, at the same place under node_modules as in the checkout
  const seen = new Set<string>();
  const visit = (fromDir: string, name: string) => {
    for (let dir = fromDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (fs.existsSync(path.join(candidate, 'package.json'))) {
        if (seen.has(candidate)) return;
        seen.add(candidate);
        fs.cpSync(candidate, path.join(stage, path.relative(repoRoot, candidate)), { recursive: true });
        const pkg = JSON.parse(fs.readFileSync(path.join(candidate, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
        for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(candidate, dep);
        return;
      }
      if (dir === repoRoot || path.dirname(dir) === dir) return;
    }
  };
  const own = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(own.dependencies)) visit(repoRoot, dep);
  spawnSync('chmod', ['-R', 'a+rX', stage]);
  cliForOthers = path.join(stage, 'dist', 'cli.js');
}

/** Runs the built CLI asynchronously (the host servers below live in this process), optionally as another user. */
function runCli(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; uid?: number }): Promise<Result> {
  const [file, argv] =
    opts.uid === undefined
      ? [process.execPath, [cli, ...args]]
      : ['setpriv', ['--reuid', String(opts.uid), '--regid', String(opts.uid), '--clear-groups', '--', process.execPath, cliForOthers, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * This run's temporary folder: the launcher makes its per-run folders there (through TMPDIR), so
 * the final check can tell that none is left, also while another copy of this suite runs.
 */
let testTmp = '';

function baseEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', TMPDIR: testTmp, ...extra };
}

const SECRET_ENV = {
  OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnop',
  AWS_SECRET_ACCESS_KEY: 'fake-aws-secret',
  GITHUB_TOKEN: 'ghp_fakefakefakefakefakefakefakefakefake',
  DATABASE_URL: 'postgres://app:hunter2@db.internal:5432/prod',
  HF_TOKEN: 'hf_allowedallowedallowedallowedallowed',
  MY_SETTING: 'plain value',
};

interface Upstream {
  port: number;
  hits: string[];
  closeAllConnections(): void;
  close(): Promise<void>;
}

/** The "internet": an HTTP server on the host's loopback. */
function startUpstream(): Promise<Upstream> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(`${req.headers.host}${req.url}`);
    res.end('hello from the host');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        hits,
        closeAllConnections: () => server.closeAllConnections(),
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

/** A host service listening on a unix socket anyone may connect to (like docker.sock or an ssh agent). */
function startUnixService(socket: string): Promise<net.Server> {
  const server = net.createServer((c) => c.end('host service\n'));
  return new Promise((resolve) =>
    server.listen(socket, () => {
      fs.chmodSync(socket, 0o777);
      resolve(server);
    }),
  );
}

async function probe(fx: Fixture, spec: object, args: string[], opts: { uid?: number; env?: NodeJS.ProcessEnv } = {}) {
  const specFile = path.join(fx.ws, 'probe-spec.json');
  fs.writeFileSync(specFile, JSON.stringify(spec));
  // the probe runs from the workspace: with allowed hosts the sandbox has its own /tmp, which may hold this checkout
  const probeFile = path.join(fx.ws, 'probe.js');
  fs.copyFileSync(PROBE, probeFile);
  if (opts.uid !== undefined) for (const f of [specFile, probeFile]) fs.chownSync(f, opts.uid, opts.uid);
  const r = await runCli(['sandbox', ...args, '--', process.execPath, probeFile, specFile], { cwd: fx.ws, env: opts.env ?? baseEnv(fx.home), uid: opts.uid });
  assert.equal(r.code, 0, `probe failed (${r.code}): ${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

/** Processes of this run's sandboxes: their command line or working folder is in one of our folders. */
function leftoverProcesses(): string[] {
  const ours = [testTmp, ...roots];
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      let cwd = '';
      try {
        cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        // not ours to read
      }
      if (ours.some((o) => cmd.includes(o) || cwd === o || cwd.startsWith(o + '/'))) found.push(`${pid}: ${cmd.slice(0, 200)}`);
    } catch {
      // exited meanwhile
    }
  }
  return found;
}

describe('sandbox launcher', function () {
  this.timeout(120_000);
  let upstream: Upstream;
  const savedTmp = process.env.TMPDIR;

  before(async () => {
    ensureBuilt();
    installForOtherUsers();
    // under /tmp on purpose: the bubblewrap backend hides /tmp and binds the run's folder back
    testTmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-sandbox-tests-')));
    fs.chmodSync(testTmp, 0o1777);
    process.env.TMPDIR = testTmp;
    upstream = await startUpstream();
  });

  after(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    upstream.closeAllConnections();
    await upstream.close();
    for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
    fs.rmSync(testTmp, { recursive: true, force: true });
  });

  for (const user of [{ name: 'root', uid: undefined }, { name: 'an unprivileged user (nobody)', uid: NOBODY }]) {
    for (const backend of BACKENDS) {
      describe(`${backend}, as ${user.name}`, () => {
        let fx: Fixture;
        let service: net.Server;

        before(async function () {
          if (user.uid === undefined) assert.equal(process.getuid?.(), 0, 'these tests run as root (and switch to nobody with setpriv)');
          fx = makeFixture(user.uid);
          service = await startUnixService(fx.socket);
        });
        after(() => new Promise<void>((done) => service.close(() => done())));

        it('hides credentials, confines writes, drops secret variables, has no network and resists umount/remount', async () => {
          const spec = {
            commands: [
              ['umount', path.join(fx.home, '.ssh')],
              ['mount', '-o', 'remount,rw', '/'],
              ['unshare', '-Ur', 'true'],
            ],
            read: [
              path.join(fx.home, '.ssh', 'id_rsa'),
              path.join(fx.home, '.aws', 'credentials'),
              path.join(fx.home, '.config', 'gcloud', 'application_default_credentials.json'),
              path.join(fx.home, '.npmrc'),
              path.join(fx.ws, '.env'),
              path.join(fx.ws, 'config', '.env.production'),
              path.join(fx.home, 'notes.txt'),
              path.join(fx.ws, 'data', 'train.csv'),
            ],
            write: [
              path.join(fx.ws, 'result.txt'),
              path.join(fx.outside, 'escape.txt'),
              path.join(fx.home, '.bashrc'),
              path.join(fx.ws, '.git', 'hooks', 'pre-commit'),
            ],
            env: Object.keys(SECRET_ENV),
            direct: [{ host: '127.0.0.1', port: upstream.port }],
            unixSockets: [fx.socket],
          };
          const r = await probe(fx, spec, ['--backend', backend, '--allow-env', 'HF_TOKEN'], { uid: user.uid, env: baseEnv(fx.home, SECRET_ENV) });
          assert.equal(r.uid === 0, user.uid === undefined, 'the command runs as the calling user');

          for (const c of spec.commands) {
            const cmd = c.join(' ');
            assert.notEqual(r.commands[cmd].status, 0, `${cmd} must fail: ${JSON.stringify(r.commands[cmd])}`);
          }
          for (const secret of spec.read.slice(0, 6)) assert.equal(r.read[secret].ok, false, `${secret} must not be readable: ${JSON.stringify(r.read[secret])}`);
          assert.deepEqual(r.read[path.join(fx.home, 'notes.txt')], { ok: true, text: 'not a secret\n' }, 'other files stay readable');
          assert.equal(r.read[path.join(fx.ws, 'data', 'train.csv')].ok, true);

          assert.deepEqual(r.write[path.join(fx.ws, 'result.txt')], { ok: true });
          assert.equal(fs.readFileSync(path.join(fx.ws, 'result.txt'), 'utf8'), 'written from the sandbox\n');
          for (const p of [path.join(fx.outside, 'escape.txt'), path.join(fx.home, '.bashrc'), path.join(fx.ws, '.git', 'hooks', 'pre-commit')])
            assert.equal(r.write[p].ok, false, `${p} must not be writable: ${JSON.stringify(r.write[p])}`);
          assert.equal(fs.existsSync(path.join(fx.outside, 'escape.txt')), false);
          assert.equal(fs.existsSync(path.join(fx.ws, '.git', 'hooks', 'pre-commit')), false);
          assert.equal(fs.readFileSync(path.join(fx.home, '.bashrc'), 'utf8'), '# original bashrc\n');

          for (const name of ['OPENAI_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'DATABASE_URL']) assert.equal(r.env[name], null, `${name} must be dropped`);
          assert.equal(r.env.HF_TOKEN, SECRET_ENV.HF_TOKEN, '--allow-env passes a named variable');
          assert.equal(r.env.MY_SETTING, 'plain value');
          assert.match(r.env.TMPDIR, /wirecheck-sandbox-/, 'TMPDIR is the per-run folder');

          assert.equal(r.direct[`127.0.0.1:${upstream.port}`].ok, false, 'no direct network');
          assert.equal(r.env.HTTP_PROXY === null || backend === 'sandbox-runtime', true);
          assert.equal(r.unixSockets[fx.socket].ok, false, `a host unix socket must not be reachable: ${JSON.stringify(r.unixSockets[fx.socket])}`);
        });

        it('reaches an allowed host through the proxy and nothing else', async () => {
          const hitsBefore = upstream.hits.length;
          const spec = {
            viaProxy: [`http://localhost:${upstream.port}/allowed`, `http://127.0.0.1:${upstream.port}/denied`],
            connect: [`localhost:${upstream.port}`, 'example.com:443'],
            direct: [{ host: '127.0.0.1', port: upstream.port }],
          };
          const r = await probe(fx, spec, ['--backend', backend, '--allow-host', 'localhost'], { uid: user.uid });
          assert.deepEqual(r.viaProxy[`http://localhost:${upstream.port}/allowed`], { ok: true, status: 200, body: 'hello from the host' });
          assert.equal(r.viaProxy[`http://127.0.0.1:${upstream.port}/denied`].status, 403);
          assert.deepEqual(r.connect[`localhost:${upstream.port}`], { ok: true, status: 200 });
          assert.equal(r.connect['example.com:443'].status, 403);
          assert.equal(r.direct[`127.0.0.1:${upstream.port}`].ok, false);
          assert.deepEqual(upstream.hits.slice(hitsBefore), [`localhost:${upstream.port}/allowed`], 'only the allowed request reached the host');
        });

        it('propagates the exit code, and 128+n for a signal', async () => {
          const env = baseEnv(fx.home);
          assert.equal((await runCli(['sandbox', '--backend', backend, '--', '/bin/sh', '-c', 'exit 7'], { cwd: fx.ws, env, uid: user.uid })).code, 7);
          assert.equal((await runCli(['sandbox', '--backend', backend, '--', '/bin/sh', '-c', 'kill -TERM $$'], { cwd: fx.ws, env, uid: user.uid })).code, 143);
          const ok = await runCli(['sandbox', '--backend', backend, '--', '/bin/sh', '-c', 'echo out; echo err >&2'], { cwd: fx.ws, env, uid: user.uid });
          assert.equal(ok.code, 0);
          assert.equal(ok.stdout, 'out\n');
          assert.match(ok.stderr, /^err$/m);
        });
      });
    }
  }

  describe('refusing to run without isolation', () => {
    let fx: Fixture;
    let bin: string;
    before(() => {
      fx = makeFixture();
      bin = path.join(fx.root, 'bin');
      fs.mkdirSync(bin);
    });

    const linkTools = (names: string[]) => {
      for (const f of fs.readdirSync(bin)) fs.unlinkSync(path.join(bin, f));
      for (const n of names) fs.symlinkSync(`/usr/bin/${n}`, path.join(bin, n));
    };

    for (const backend of ['auto', 'bubblewrap', 'sandbox-runtime']) {
      it(`refuses with --backend ${backend} when bwrap is not on PATH, and runs nothing`, async () => {
        linkTools(['socat', 'rg', 'prlimit']);
        const marker = path.join(fx.ws, 'ran.txt');
        const r = await runCli(['sandbox', '--backend', backend, '--', '/bin/sh', '-c', `echo ran > ${marker}`], { cwd: fx.ws, env: baseEnv(fx.home, { PATH: bin }) });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /bubblewrap \(bwrap\) is not installed/);
        assert.match(r.stderr, /apt-get install bubblewrap socat ripgrep/);
        assert.match(r.stderr, /never runs unsandboxed/);
        assert.equal(fs.existsSync(marker), false, 'the command must not have run');
      });
    }

    it('isolates with bubblewrap when ripgrep is missing, and names it when sandbox-runtime is asked for', async () => {
      linkTools(['bwrap', 'socat', 'prlimit']);
      const env = baseEnv(fx.home, { PATH: bin });
      const auto = await runCli(['sandbox', '--', '/bin/sh', '-c', 'echo $WIRECHECK_SANDBOX'], { cwd: fx.ws, env });
      assert.equal(auto.code, 0, auto.stderr);
      assert.equal(auto.stdout, 'bubblewrap\n');
      const srt = await runCli(['sandbox', '--backend', 'sandbox-runtime', '--', '/bin/true'], { cwd: fx.ws, env });
      assert.equal(srt.code, 2);
      assert.match(srt.stderr, /ripgrep \(rg\) is not installed/);
      const check = await runCli(['sandbox', '--check'], { cwd: fx.ws, env });
      assert.equal(check.code, 0, 'bubblewrap can still isolate');
      assert.match(check.stdout, /auto uses: bubblewrap/);
    });

    it('--check exits 2 and says how to fix it when nothing can isolate', async () => {
      linkTools([]);
      const r = await runCli(['sandbox', '--check'], { cwd: fx.ws, env: baseEnv(fx.home, { PATH: bin }) });
      assert.equal(r.code, 2);
      assert.match(r.stdout, /bwrap\s+missing \(package bubblewrap\)/);
      assert.match(r.stdout, /auto uses: nothing/);
      assert.match(r.stdout, /apt-get install bubblewrap socat ripgrep/);
    });

    it('--check reports both backends usable on this machine', async () => {
      const r = await runCli(['sandbox', '--check', '--json'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.userNamespaces.ok, true);
      assert.equal(report.backends['sandbox-runtime'].usable, true, JSON.stringify(report.backends));
      assert.equal(report.backends.bubblewrap.usable, true);
      assert.equal(report.auto, 'bubblewrap');
    });
  });

  describe('command line', () => {
    it('prints its help, and gives usage errors for a missing command, a bad backend or options of the command without --', async () => {
      const cwd = makeFixture().ws;
      const env = baseEnv(os.tmpdir());
      const help = await runCli(['sandbox', '--help'], { cwd, env });
      assert.equal(help.code, 0);
      assert.match(help.stdout, /wirecheck sandbox \[options\] -- CMD/);
      assert.match(help.stdout, /--allow-host HOST/);
      const top = await runCli(['--help'], { cwd, env });
      assert.match(top.stdout, /wirecheck sandbox --check/);
      const none = await runCli(['sandbox'], { cwd, env });
      assert.equal(none.code, 2);
      assert.match(none.stderr, /no command given/);
      const backend = await runCli(['sandbox', '--backend', 'docker', '--', 'true'], { cwd, env });
      assert.equal(backend.code, 2);
      assert.match(backend.stderr, /--backend must be one of auto, sandbox-runtime, bubblewrap/);
      const dashes = await runCli(['sandbox', 'python3', '-c', 'print(1)'], { cwd, env });
      assert.equal(dashes.code, 2);
      assert.match(dashes.stderr, /put the command after --/);
    });
  });

  describe('policy', () => {
    let fx: Fixture;
    before(() => {
      fx = makeFixture();
    });

    it('reads a bare policy file and a config with a sandbox key; CLI flags add to it', async () => {
      const bare = path.join(fx.root, 'policy.yaml');
      write(bare, 'network:\n  allowHosts: [api.openai.com]\nfilesystem:\n  denyRead: [data/**]\nenv:\n  allow: [OPENAI_API_KEY]\nlimits:\n  cpuSeconds: 60\n');
      const r = await runCli(['sandbox', '--policy', bare, '--allow-host', '*.huggingface.co', '--backend', 'bubblewrap', '--dry-run', '--', 'python3', 'train.py'], {
        cwd: fx.ws,
        env: baseEnv(fx.home, SECRET_ENV),
      });
      assert.equal(r.code, 0, r.stderr);
      const d = JSON.parse(r.stdout);
      assert.equal(d.backend, 'bubblewrap');
      assert.deepEqual(d.allowHosts, ['api.openai.com', '*.huggingface.co']);
      assert.ok(d.denyRead.includes(path.join(fx.ws, 'data')), d.denyRead.join(', '));
      assert.ok(d.denyRead.includes(path.join(fx.home, '.ssh')) && d.denyRead.includes(path.join(fx.ws, '.env')));
      assert.ok(!d.droppedEnv.includes('OPENAI_API_KEY') && d.droppedEnv.includes('GITHUB_TOKEN'));
      assert.deepEqual(d.limits, { cpuSeconds: 60 });
      assert.deepEqual(d.command, ['python3', 'train.py']);
      const argv: string[] = d.invocation.argv;
      for (const flag of ['--cap-drop', '--unshare-all', '--die-with-parent', '--new-session', '--disable-userns']) assert.ok(argv.includes(flag), flag);
      const wsBind = argv.findIndex((a, i) => a === '--bind' && argv[i + 1] === fx.ws);
      const envMask = argv.findIndex((a, i) => a === '--ro-bind' && argv[i + 1] === '/dev/null' && argv[i + 2] === path.join(fx.ws, '.env'));
      assert.ok(wsBind > 0 && envMask > wsBind, 'the .env mask comes after the workspace bind');

      const config = path.join(fx.root, 'team.config.json');
      write(config, JSON.stringify({ rules: {}, sandbox: { backend: 'bubblewrap', network: { allowHosts: ['registry.npmjs.org:443'] } } }));
      const c = await runCli(['sandbox', '--policy', config, '--dry-run', '--', 'true'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(c.code, 0, c.stderr);
      assert.deepEqual(JSON.parse(c.stdout).allowHosts, ['registry.npmjs.org:443']);
    });

    it('rejects an invalid policy with exit 2, naming the file and the path inside it', async () => {
      const file = path.join(fx.root, 'bad.yaml');
      write(file, 'sandbox:\n  network:\n    allowHosts: ["https://api.openai.com/v1"]\n  limits:\n    memoryMB: lots\n  filesystem:\n    denyread: [x]\n');
      const r = await runCli(['sandbox', '--policy', file, '--', 'true'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /bad\.yaml: invalid sandbox policy/);
      assert.match(r.stderr, /\/sandbox\/network\/allowHosts\/0: must be a host name/);
      assert.match(r.stderr, /\/sandbox\/limits\/memoryMB: must be integer/);
      assert.match(r.stderr, /\/sandbox\/filesystem: unknown key 'denyread'/);
      const flag = await runCli(['sandbox', '--allow-host', 'not a host', '--', 'true'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /command line: invalid sandbox policy: \/network\/allowHosts\/0/);
      const missing = await runCli(['sandbox', '--policy', 'nope.yaml', '--', 'true'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /nope\.yaml: cannot read the sandbox policy: no such file/);
    });

    it('refuses a workspace or write path that would expose the home folder or a credential folder', async () => {
      const home = await runCli(['sandbox', '--workspace', fx.home, '--', 'true'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(home.code, 2);
      assert.match(home.stderr, /refusing to make .*home writable/);
      const cred = await runCli(['sandbox', '--allow-write', '~/.aws', '--', 'true'], { cwd: fx.ws, env: baseEnv(fx.home) });
      assert.equal(cred.code, 2);
      assert.match(cred.stderr, /inside .*\.aws, which holds credentials/);
    });

    it('uses the sandbox section of the discovered config, and names the config file when it is invalid', async () => {
      const dir = path.join(fx.ws, 'project');
      write(path.join(dir, 'wirecheck.config.yaml'), 'failOn: warning\nsandbox:\n  backend: bubblewrap\n  network:\n    allowHosts: [huggingface.co]\n  env:\n    allow: [HF_*]\n');
      const r = await runCli(['sandbox', '--allow-host', 'localhost:8080', '--dry-run', '--', 'python3', 'x.py'], { cwd: dir, env: baseEnv(fx.home, SECRET_ENV) });
      assert.equal(r.code, 0, r.stderr);
      const d = JSON.parse(r.stdout);
      assert.equal(d.backend, 'bubblewrap');
      assert.deepEqual(d.allowHosts, ['huggingface.co', 'localhost:8080']);
      assert.ok(!d.droppedEnv.includes('HF_TOKEN'));
      assert.equal(d.workspace, dir, 'the workspace is the current folder');

      write(path.join(dir, 'wirecheck.config.yaml'), 'sandbox:\n  backend: docker\n');
      const bad = await runCli(['sandbox', '--', 'true'], { cwd: dir, env: baseEnv(fx.home) });
      assert.equal(bad.code, 2);
      // the config loader validates the section against sandbox.schema.json too: either message names the file and the path
      assert.match(bad.stderr, /wirecheck\.config\.yaml[\s\S]*invalid[\s\S]*sandbox[./]backend[\s\S]*docker/);
      assert.doesNotMatch(bad.stderr, /internal error/);
      assert.deepEqual(readPolicyFile(writeTmp(fx, 'empty.yaml', '')), {}, 'an empty policy file: built-in protections only');
      assert.deepEqual(validatePolicy({ network: { allowHosts: ['*.hf.co'] } }, 'x'), { network: { allowHosts: ['*.hf.co'] } });
      assert.deepEqual(loadSandboxPolicy({ cwd: fx.outside }), {}, 'no config found: built-in protections only');
    });
  });

  describe('library API', () => {
    let fx: Fixture;
    before(() => {
      fx = makeFixture();
    });

    it('streams output, and runs commands in parallel from one process (bubblewrap: in one folder; sandbox-runtime: in two)', async () => {
      const env = baseEnv(fx.home);
      const other = path.join(fx.root, 'ws2');
      fs.mkdirSync(other);
      const runs = [
        { backend: 'bubblewrap' as const, cwd: fx.ws },
        { backend: 'bubblewrap' as const, cwd: fx.ws },
        { backend: 'bubblewrap' as const, cwd: fx.ws },
        { backend: 'sandbox-runtime' as const, cwd: fx.ws },
        { backend: 'sandbox-runtime' as const, cwd: other },
      ];
      const chunks: string[][] = runs.map(() => []);
      const codes = await Promise.all(
        runs.map((r, i) => runInSandbox({ ...r, env, command: '/bin/sh', args: ['-c', `echo run-${i}; echo warn-${i} >&2; exit ${i + 3}`], onOutput: (t, s) => chunks[i].push(`${s}:${t}`) })),
      );
      assert.deepEqual(codes, [3, 4, 5, 6, 7], JSON.stringify(chunks));
      assert.deepEqual(
        chunks.map((c) => c.sort()),
        runs.map((_, i) => [`stderr:warn-${i}\n`, `stdout:run-${i}\n`]),
      );
    });

    for (const backend of BACKENDS) {
      it(`stops the command on abort and on timeoutSeconds (${backend})`, async () => {
        const env = baseEnv(fx.home);
        const ac = new AbortController();
        let started!: () => void;
        const running = new Promise<void>((resolve) => (started = resolve));
        const run = runInSandbox({ cwd: fx.ws, env, backend, command: '/bin/sleep', args: ['30'], onOutput: () => {}, signal: ac.signal, onStart: () => started() });
        await running;
        const t0 = Date.now();
        ac.abort();
        assert.equal(await run, 143, 'SIGTERM');
        assert.ok(Date.now() - t0 < 10_000, 'stopped at once');
        const notes: string[] = [];
        const timed = await runInSandbox({ cwd: fx.ws, env, backend, command: '/bin/sleep', args: ['30'], onOutput: () => {}, onNote: (n) => notes.push(n), policy: { limits: { timeoutSeconds: 1 } } });
        assert.equal(timed, 124);
        assert.match(notes.join('\n'), /stopped after 1 s/);
      });

      it(`leaves no process behind when stopped while the sandbox is still starting (${backend})`, async () => {
        const env = baseEnv(fx.home);
        for (const delay of [0, 5, 10, 20, 40]) {
          const ac = new AbortController();
          const run = runInSandbox({ cwd: fx.ws, env, backend, command: '/bin/sleep', args: ['30'], onOutput: () => {}, signal: ac.signal });
          setTimeout(() => ac.abort(), delay);
          assert.equal(await run, 143);
        }
        assert.deepEqual(leftoverProcesses(), []);
        assert.deepEqual(fs.readdirSync(testTmp), [], 'no per-run folder is left');
      });

      it(`applies resource limits with prlimit (${backend})`, async () => {
        const env = baseEnv(fx.home);
        const out: string[] = [];
        const mem = await runInSandbox({
          cwd: fx.ws,
          env,
          backend,
          command: process.execPath,
          args: ['-e', 'const a = []; for (let i = 0; i < 64; i++) a.push(Buffer.alloc(16 * 1024 * 1024, 1)); console.log("allocated")'],
          policy: { limits: { memoryMB: 256 } },
          onOutput: (t) => out.push(t),
        });
        assert.notEqual(mem, 0, 'allocating 1 GiB under a 256 MiB limit fails');
        assert.doesNotMatch(out.join(''), /allocated/);
        const big = path.join(fx.ws, `big-${backend}.bin`);
        const fsize = await runInSandbox({ cwd: fx.ws, env, backend, command: '/bin/sh', args: ['-c', `head -c 3000000 /dev/zero > ${big}`], policy: { limits: { fileSizeMB: 1 } }, onOutput: () => {} });
        assert.notEqual(fsize, 0);
        assert.ok(fs.statSync(big).size <= 1024 * 1024, 'the file stops at the limit');
      });
    }

    it('commandForFile picks node, the project tsx, a virtualenv python, or refuses', () => {
      const proj = path.join(fx.root, 'proj');
      write(path.join(proj, 'node_modules', '.bin', 'tsx'), '#!/bin/sh\n');
      write(path.join(proj, '.venv', 'bin', 'python'), '#!/bin/sh\n');
      write(path.join(proj, 'src', 'agent.ts'), '');
      assert.deepEqual(commandForFile(path.join(proj, 'run.mjs')), { command: 'node', args: [path.join(proj, 'run.mjs')] });
      assert.deepEqual(commandForFile(path.join(proj, 'src', 'agent.ts'), { root: proj }), { command: path.join(proj, 'node_modules', '.bin', 'tsx'), args: [path.join(proj, 'src', 'agent.ts')] });
      assert.deepEqual(commandForFile(path.join(fx.ws, 'x.ts'), { root: fx.ws }), { command: 'npx', args: ['tsx', path.join(fx.ws, 'x.ts')] });
      assert.deepEqual(commandForFile(path.join(proj, 'src', 'train.py'), { root: proj }), { command: path.join(proj, '.venv', 'bin', 'python'), args: [path.join(proj, 'src', 'train.py')] });
      assert.deepEqual(commandForFile(path.join(fx.ws, 'train.py'), { root: fx.ws }), { command: 'python3', args: [path.join(fx.ws, 'train.py')] });
      assert.throws(() => commandForFile('notes.docx'), /no known way to run notes\.docx/);
    });

    it('sandboxCommandLine runs the CLI in a terminal of its own', async () => {
      const line = sandboxCommandLine({ cliPath: cli, command: '/bin/sh', args: ['-c', 'echo "$WIRECHECK_SANDBOX:$1"', 'sh', 'arg with space'], backend: 'bubblewrap', allowHosts: ['localhost'] });
      assert.equal(line.command, process.execPath);
      const r = await new Promise<Result>((resolve) => {
        const child = spawn(line.command, line.args, { cwd: fx.ws, env: baseEnv(fx.home) });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'bubblewrap:arg with space\n');
    });

    it('describeRun shows the sandbox-runtime configuration with an explicit denyRead and our TMPDIR', async () => {
      const d = (await describeRun({ cwd: fx.ws, env: baseEnv(fx.home), backend: 'sandbox-runtime', command: 'node', args: ['x.js'] })) as {
        invocation: { config: { filesystem: { denyRead: { path: string }[]; allowWrite: { path: string }[] } }; command: string };
      };
      const deny = d.invocation.config.filesystem.denyRead.map((e) => e.path);
      assert.ok(deny.includes(path.join(fx.home, '.ssh')) && deny.includes(path.join(fx.ws, '.env')) && deny.includes(path.join(fx.ws, 'config', '.env.production')));
      assert.equal(d.invocation.config.filesystem.allowWrite[0].path, fx.ws);
      assert.match(d.invocation.command, /^export TMPDIR=\S+wirecheck-sandbox-XXXXXX\/tmp .*; exec node x\.js$/);
    });

    it('sandbox-runtime 0.0.83 declares node >=22.12 but works on this Node 20', async () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules', '@anthropic-ai', 'sandbox-runtime', 'package.json'), 'utf8'));
      assert.equal(pkg.version, '0.0.83');
      assert.equal(pkg.engines.node, '>=22.12.0');
      const out: string[] = [];
      const code = await runInSandbox({ cwd: fx.ws, env: baseEnv(fx.home), backend: 'sandbox-runtime', command: process.execPath, args: ['-p', 'process.versions.node'], onOutput: (t) => out.push(t) });
      assert.equal(code, 0);
      assert.equal(out.join('').trim(), process.versions.node);
      assert.ok((await checkSandbox({ env: baseEnv(fx.home) })).backends['sandbox-runtime'].usable);
    });
  });

  describe('units', () => {
    it('scrubEnv drops secret-looking names and values, keeps the rest and what allow names', () => {
      const { env, dropped } = scrubEnv(
        {
          PATH: '/usr/bin',
          HOME: '/home/me',
          OPENAI_API_KEY: 'x',
          ANTHROPIC_API_KEY: 'x',
          AWS_REGION: 'eu-west-1',
          SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1',
          npm_config__authToken: 'x',
          DBPASSWORD: 'x',
          MONGO_CONN: 'mongodb://root:pw@db:27017',
          SOME_VALUE: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
          TOKENIZERS_PARALLELISM: 'false',
          GIT_AUTHOR_NAME: 'Ada',
          KEYBOARD_LAYOUT: 'us',
          HF_TOKEN: 'x',
          CUSTOM_INTERNAL: 'x',
        },
        ['HF_*'],
        ['CUSTOM_*'],
      );
      assert.deepEqual(dropped, ['ANTHROPIC_API_KEY', 'AWS_REGION', 'CUSTOM_INTERNAL', 'DBPASSWORD', 'MONGO_CONN', 'OPENAI_API_KEY', 'SOME_VALUE', 'SSH_AUTH_SOCK', 'npm_config__authToken']);
      assert.deepEqual(Object.keys(env).sort(), ['GIT_AUTHOR_NAME', 'HF_TOKEN', 'HOME', 'KEYBOARD_LAYOUT', 'PATH', 'TOKENIZERS_PARALLELISM']);
      assert.equal(secretReason('PLAIN', '-----BEGIN RSA PRIVATE KEY-----\n'), 'value');
    });

    it('hostAllowed matches hosts, subdomain wildcards and ports like sandbox-runtime', () => {
      const allow = ['api.openai.com', '*.huggingface.co', 'localhost:8080'];
      assert.ok(hostAllowed('api.openai.com', 443, allow));
      assert.ok(hostAllowed('API.OpenAI.com.', 443, allow));
      assert.ok(hostAllowed('cdn-lfs.huggingface.co', 443, allow));
      assert.ok(!hostAllowed('huggingface.co', 443, allow), '*.x matches subdomains only');
      assert.ok(!hostAllowed('evil-huggingface.co', 443, allow));
      assert.ok(hostAllowed('localhost', 8080, allow));
      assert.ok(!hostAllowed('localhost', 8081, allow));
      assert.ok(!hostAllowed('127.0.0.1', 8080, allow));
      assert.ok(!hostAllowed('openai.com', 443, allow));
    });

    it('the seccomp program is a well-formed filter that ends in allow and deny', () => {
      const prog = seccompProgram('x64')!;
      assert.equal(prog.length % 8, 0);
      const last = prog.length / 8 - 1;
      assert.equal(prog.readUInt32LE(last * 8 + 4), 0x00050001, 'EPERM');
      assert.equal(prog.readUInt32LE((last - 1) * 8 + 4), 0x7fff0000, 'allow');
      assert.ok(seccompProgram('arm64'));
      assert.equal(seccompProgram('riscv64'), undefined);
    });
  });

  describe('leaves nothing behind', () => {
    it('no sandbox processes and no per-run folders remain', async () => {
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(leftoverProcesses(), []);
      assert.deepEqual(fs.readdirSync(testTmp), []);
    });
  });
});

function writeTmp(fx: Fixture, name: string, text: string): string {
  const f = path.join(fx.root, name);
  write(f, text);
  return f;
}
