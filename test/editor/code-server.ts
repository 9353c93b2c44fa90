/**
 * Real VS Code for the editor tests: code-server (installed by scripts/install-code-server.sh
 * outside node_modules) started fresh per suite with its own HOME, XDG folders, user data and
 * extensions folder, bound to 127.0.0.1, in its own process group so that stopping it ends every
 * process it started (extension hosts, tsserver, file watchers).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO } from './build';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let installed: string | undefined;

/** Installs code-server when missing (minutes, once) and returns its binary. */
export function installCodeServer(): string {
  if (installed) return installed;
  const out = execFileSync('bash', [path.join(REPO, 'scripts/install-code-server.sh')], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  const bin = out.trim().split('\n').at(-1)!;
  if (!fs.existsSync(bin)) throw new Error(`code-server was not installed (${bin})`);
  installed = bin;
  return bin;
}

export interface CodeServerOptions {
  /** Workspace trust on (Restricted Mode for untrusted folders) or off (everything trusted). */
  workspaceTrust?: boolean;
  /** User settings added to the defaults. */
  settings?: Record<string, unknown>;
  /** .vsix files installed the way a user installs them (`--install-extension`). */
  install?: string[];
  /** Extra environment for the server and everything it starts (extension hosts, terminals). */
  env?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  /** The authority (host:port) for vscode-remote:// URIs. */
  authority: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  log(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Every process below `pid` (from /proc), so processes that left the group (terminals) are found too. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    // a zombie (exited, not yet reaped) is not running
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Whether a live (not zombie) process is left in the process group. */
function groupAlive(pgid: number): boolean {
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = installCodeServer();
  const dir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'wirecheck-cs-'));
  const home = path.join(dir, 'home');
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  for (const d of [home, userData, extensions, path.join(userData, 'User')]) fs.mkdirSync(d, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'security.workspace.trust.enabled': !!opts.workspaceTrust,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'git.enabled': false,
    'typescript.tsserver.log': 'off',
    'terminal.integrated.enablePersistentSessions': false,
    ...opts.settings,
  };
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local/state'),
    TMPDIR: path.join(dir, 'tmp'),
    ...opts.env,
  };
  fs.mkdirSync(env.TMPDIR!, { recursive: true });
  // the test runner's own VS Code / Electron variables would confuse the server
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
  for (const vsix of opts.install ?? []) {
    const r = spawnSync(bin, [...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const port = await freePort();
  const logFile = path.join(dir, 'code-server.log');
  const fd = fs.openSync(logFile, 'a');
  const args = [
    ...common,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (!opts.workspaceTrust) args.push('--disable-workspace-trust');
  // detached: a new process group (setsid), so stop() can signal everything the server started
  const proc: ChildProcess = spawn(bin, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const pgid = proc.pid!;
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  let exited = false;
  proc.once('exit', () => (exited = true));

  const stop = async () => {
    const tree = descendants(pgid);
    const signal = (sig: NodeJS.Signals) => {
      for (const target of [-pgid, ...tree]) {
        try {
          process.kill(target, sig);
        } catch {
          // already gone
        }
      }
    };
    const anyAlive = () => groupAlive(pgid) || tree.some(alive);
    signal('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (anyAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (anyAlive()) {
      signal('SIGKILL');
      const hard = Date.now() + 5_000;
      while (anyAlive() && Date.now() < hard) await new Promise((r) => setTimeout(r, 100));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const out = log();
      await stop();
      throw new Error(`code-server exited at start:\n${out}`);
    }
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const out = log();
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, authority: `127.0.0.1:${port}`, dir, env, log, stop };
}
