/**
 * What isolation this machine offers: the tools on PATH, whether user namespaces work (probed
 * with bubblewrap itself), whether @anthropic-ai/sandbox-runtime loads, and which backend a run
 * would use. A backend that cannot isolate is never used: the launcher refuses instead.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../errors';
import type { BackendChoice, BackendName } from './policy';

export interface ToolPaths {
  bwrap?: string;
  socat?: string;
  rg?: string;
  prlimit?: string;
}

export interface BackendStatus {
  usable: boolean;
  /** Why it cannot isolate (empty when usable). */
  problems: string[];
}

export interface SandboxCheck {
  platform: NodeJS.Platform;
  arch: string;
  uid?: number;
  tools: ToolPaths;
  /** `bubblewrap 0.8.0` */
  bwrapVersion?: string;
  /** bubblewrap knows --disable-userns (0.8.0 and later): the sandbox cannot create namespaces of its own. */
  disableUserns: boolean;
  userNamespaces: { ok: boolean; detail?: string };
  sandboxRuntime: { module?: string; version?: string; error?: string };
  backends: Record<BackendName, BackendStatus>;
  /** The backend `auto` uses, when one can isolate. */
  auto?: BackendName;
}

/** What a run needs beyond the basic isolation. */
export interface RunNeeds {
  /** An allow list of hosts: the bridge into the sandbox needs socat. */
  network?: boolean;
  /** Resource limits: prlimit. */
  limits?: boolean;
}

export const INSTALL_HINT =
  'install the sandbox tools: `sudo apt-get install bubblewrap socat ripgrep` (Debian, Ubuntu), `sudo dnf install bubblewrap socat ripgrep` (Fedora) or `sudo pacman -S bubblewrap socat ripgrep` (Arch)';

/** An executable named `name` on a PATH string. */
export function which(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

interface Captured {
  code: number | null;
  stdout: string;
  stderr: string;
}

function capture(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 10_000): Promise<Captured> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr: stderr + e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Where @anthropic-ai/sandbox-runtime's entry module is (resolved, never bundled). */
export function sandboxRuntimeModule(): { module?: string; version?: string; error?: string } {
  // the name is assembled so that bundlers leave the package out of the bundle: it is ESM and
  // finds its vendored helpers next to itself
  const name = ['@anthropic-ai', 'sandbox-runtime'].join('/');
  try {
    const module = require.resolve(name);
    let version: string | undefined;
    try {
      version = JSON.parse(fs.readFileSync(path.join(path.dirname(module), '..', 'package.json'), 'utf8')).version;
    } catch {
      version = undefined;
    }
    return { module, version };
  } catch (e) {
    return { error: `${name} is not installed (${(e as Error).message.split('\n')[0]})` };
  }
}

const probes = new Map<string, Promise<{ ok: boolean; detail?: string }>>();

/** Starts a real (empty) sandbox once per bwrap binary: the only reliable test of user namespaces. */
function probeUserNamespaces(bwrap: string, disableUserns: boolean, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; detail?: string }> {
  const key = `${bwrap}\0${disableUserns}\0${process.getuid?.()}`;
  let p = probes.get(key);
  if (!p) {
    const truePath = ['/bin/true', '/usr/bin/true'].find((f) => fs.existsSync(f)) ?? 'true';
    const args = ['--unshare-all', '--unshare-user', ...(disableUserns ? ['--disable-userns'] : []), '--cap-drop', 'ALL', '--die-with-parent', '--ro-bind', '/', '/', '--proc', '/proc', '--', truePath];
    p = capture(bwrap, args, { PATH: env.PATH ?? '/usr/bin:/bin' }).then((r) => {
      if (r.code === 0) return { ok: true };
      const why = r.stderr.trim().split('\n')[0] || `bwrap exited with ${r.code}`;
      return {
        ok: false,
        detail:
          `${why}. User namespaces are not available: enable them (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 23.10+ ` +
          'also kernel.apparmor_restrict_unprivileged_userns=0), or in a container allow them (for Docker: --security-opt seccomp=unconfined --security-opt apparmor=unconfined)',
      };
    });
    probes.set(key, p);
  }
  return p;
}

function versionAtLeast(version: string | undefined, min: [number, number]): boolean {
  const m = /(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [maj, minor] = [Number(m[1]), Number(m[2])];
  return maj > min[0] || (maj === min[0] && minor >= min[1]);
}

const versions = new Map<string, Promise<string | undefined>>();
function bwrapVersion(bwrap: string): Promise<string | undefined> {
  let v = versions.get(bwrap);
  if (!v) {
    v = capture(bwrap, ['--version'], { PATH: '/usr/bin:/bin' }, 5000).then((r) => (r.code === 0 ? r.stdout.trim() : undefined));
    versions.set(bwrap, v);
  }
  return v;
}

/** Reports what isolation is available, looking tools up on `env.PATH` (default: this process's). */
export async function checkSandbox(opts: { env?: NodeJS.ProcessEnv; needs?: RunNeeds } = {}): Promise<SandboxCheck> {
  const env = opts.env ?? process.env;
  const needs = opts.needs ?? {};
  const linux = process.platform === 'linux';
  const tools: ToolPaths = linux ? { bwrap: which('bwrap', env.PATH), socat: which('socat', env.PATH), rg: which('rg', env.PATH), prlimit: which('prlimit', env.PATH) } : {};
  const version = tools.bwrap ? await bwrapVersion(tools.bwrap) : undefined;
  const disableUserns = versionAtLeast(version, [0, 8]);
  const userNamespaces = tools.bwrap
    ? await probeUserNamespaces(tools.bwrap, disableUserns, env)
    : { ok: false, detail: linux ? 'not probed: bubblewrap is missing' : `not available on ${process.platform}` };
  const sandboxRuntime = sandboxRuntimeModule();

  const common: string[] = [];
  if (!linux) common.push(`isolation needs Linux (bubblewrap and user namespaces); this is ${process.platform}`);
  else {
    if (!tools.bwrap) common.push('bubblewrap (bwrap) is not installed');
    else if (!userNamespaces.ok) common.push(userNamespaces.detail ?? 'user namespaces do not work');
    if (needs.limits && !tools.prlimit) common.push('prlimit (util-linux) is not installed, and the policy sets resource limits');
  }
  const srtProblems = [...common];
  if (linux) {
    if (!tools.socat) srtProblems.push('socat is not installed');
    if (!tools.rg) srtProblems.push('ripgrep (rg) is not installed');
    if (sandboxRuntime.error) srtProblems.push(sandboxRuntime.error);
  }
  const bwrapProblems = [...common];
  if (linux && needs.network && !tools.socat) bwrapProblems.push('socat is not installed, and the policy allows hosts (socat bridges the proxy into the sandbox)');

  const backends: Record<BackendName, BackendStatus> = {
    'sandbox-runtime': { usable: srtProblems.length === 0, problems: srtProblems },
    bubblewrap: { usable: bwrapProblems.length === 0, problems: bwrapProblems },
  };
  // bubblewrap first: 10 ms instead of half a second, no files of its own in the workspace, and
  // parallel runs in one folder do not race (sandbox-runtime's mount points can); see docs/sandbox.md
  const auto = backends.bubblewrap.usable ? 'bubblewrap' : backends['sandbox-runtime'].usable ? 'sandbox-runtime' : undefined;
  return {
    platform: process.platform,
    arch: process.arch,
    uid: process.getuid?.(),
    tools,
    bwrapVersion: version,
    disableUserns,
    userNamespaces,
    sandboxRuntime,
    backends,
    auto,
  };
}

/**
 * The backend for a run, or a CliError that says why nothing can isolate the command and how to
 * fix it. Never falls back to running unsandboxed.
 */
export function selectBackend(check: SandboxCheck, choice: BackendChoice): BackendName {
  if (choice !== 'auto') {
    const status = check.backends[choice];
    if (status.usable) return choice;
    throw new CliError(refusal(`the ${choice} backend cannot isolate the command here`, status.problems, check));
  }
  if (check.auto) return check.auto;
  const problems = [...new Set([...check.backends.bubblewrap.problems, ...check.backends['sandbox-runtime'].problems])];
  throw new CliError(refusal('no sandbox backend can isolate the command here', problems, check));
}

function refusal(what: string, problems: string[], check: SandboxCheck): string {
  const lines = [`sandbox: ${what}, so it was not run (it never runs unsandboxed).`, ...problems.map((p) => `  - ${p}`)];
  if (check.platform === 'linux') {
    if (problems.some((p) => /^(bubblewrap|socat|ripgrep).* is not installed/.test(p))) lines.push(`To fix it, ${INSTALL_HINT}.`);
    if (problems.some((p) => p.startsWith('prlimit'))) lines.push('prlimit comes with util-linux (`sudo apt-get install util-linux`).');
  }
  lines.push('Run `wirecheck sandbox --check` to see what is available.');
  return lines.join('\n');
}
