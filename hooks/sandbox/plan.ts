/**
 * Resolves a policy for one run into concrete, existing paths and an environment: what is
 * denied, what is writable, what stays read-only inside it, which hosts are allowed, the limits.
 * Both backends build their invocation from this plan.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliError } from '../errors';
import { scrubEnv } from './env';
import { depth, existingDenied, expandAbsoluteGlob, hasGlob, isWithin, normalizeDenied, walkMatches, type DeniedPath } from './paths';
import {
  DEFAULT_DENY_HOME,
  DEFAULT_DENY_SYSTEM,
  DEFAULT_DENY_WORKSPACE_FILES,
  DEFAULT_READ_ONLY_WORKSPACE,
  expandPath,
  type BackendChoice,
  type SandboxLimits,
  type SandboxPolicy,
} from './policy';
import { sandboxRuntimeModule } from './check';

export interface PlanOptions {
  policy?: SandboxPolicy;
  /** The program to run and its arguments. */
  command: string;
  args?: string[];
  /** Where the command runs (default: the workspace). */
  cwd?: string;
  /** The folder the command may write (default: cwd). */
  workspace?: string;
  /** The environment to scrub and pass (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface SandboxPlan {
  backendChoice: BackendChoice;
  workspace: string;
  cwd: string;
  home: string;
  command: string;
  args: string[];
  /** Existing paths the command cannot read (masked by an empty folder or file). */
  denyRead: DeniedPath[];
  /** Existing paths the command may write: the workspace first. The per-run temporary folder is added when the run starts. */
  writable: string[];
  /** Existing paths inside a writable one that stay read-only. */
  readOnly: string[];
  allowHosts: string[];
  /** The scrubbed environment (the backend adds TMPDIR and proxy settings). */
  env: Record<string, string>;
  /** Names of the variables dropped. */
  droppedEnv: string[];
  limits: SandboxLimits;
  /** Warnings for the user (skipped entries, a walk cut short). */
  notes: string[];
}

function realDir(p: string, what: string): string {
  let real: string;
  try {
    real = fs.realpathSync(p);
  } catch {
    throw new CliError(`sandbox: the ${what} ${p} does not exist`);
  }
  if (!fs.statSync(real).isDirectory()) throw new CliError(`sandbox: the ${what} ${p} is not a folder`);
  return real;
}

function homeOf(env: NodeJS.ProcessEnv): string {
  const h = env.HOME && path.isAbsolute(env.HOME) ? env.HOME : os.homedir();
  try {
    return fs.realpathSync(h);
  } catch {
    return path.resolve(h);
  }
}

/** The installation of this package and of sandbox-runtime: a sandboxed command must not rewrite the launcher. */
function ownInstallDirs(): string[] {
  const dirs: string[] = [];
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pkg = path.join(dir, 'package.json');
    try {
      if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'wirecheck') {
        dirs.push(dir);
        break;
      }
    } catch {
      // keep looking upwards
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const srt = sandboxRuntimeModule().module;
  if (srt) dirs.push(path.resolve(path.dirname(srt), '..'));
  return dirs.flatMap((d) => {
    try {
      return [fs.realpathSync(d)];
    } catch {
      return [];
    }
  });
}

/** Resolves the policy for a run. Throws CliError for a policy that would weaken the built-in protections. */
export function planRun(opts: PlanOptions): SandboxPlan {
  const policy = opts.policy ?? {};
  const env = opts.env ?? process.env;
  const notes: string[] = [];
  const home = homeOf(env);
  const cwd = realDir(path.resolve(opts.cwd ?? opts.workspace ?? process.cwd()), 'working folder');
  const workspace = realDir(path.resolve(opts.workspace ?? cwd), 'workspace');

  const credentialPaths = [...DEFAULT_DENY_HOME.map((rel) => path.join(home, rel)), ...DEFAULT_DENY_SYSTEM.filter((p) => !hasGlob(p))];
  const guardWritable = (p: string, what: string) => {
    if (p === '/' || isWithin(p, home)) throw new CliError(`sandbox: refusing to make ${p} writable (${what}): it holds your home folder, and a sandboxed command could then plant code in your shell startup files. Run from a project folder or pass --workspace`);
    const cred = credentialPaths.find((c) => isWithin(c, p));
    if (cred) throw new CliError(`sandbox: refusing to make ${p} writable (${what}): it is inside ${cred}, which holds credentials`);
  };
  guardWritable(workspace, 'the workspace');
  if (!isWithin(workspace, cwd)) throw new CliError(`sandbox: the working folder ${cwd} is outside the workspace ${workspace}`);

  // writable
  const writable = [workspace];
  for (const entry of policy.filesystem?.allowWrite ?? []) {
    const p = expandPath(entry, home, workspace);
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      notes.push(`allowWrite: ${entry} does not exist and is skipped (create it first to make it writable)`);
      continue;
    }
    guardWritable(real, `allowWrite ${entry}`);
    if (!writable.some((w) => isWithin(w, real))) writable.push(real);
  }

  // denied
  const denied: DeniedPath[] = [];
  for (const p of credentialPaths) denied.push(...existingDenied(p));
  for (const g of DEFAULT_DENY_SYSTEM.filter(hasGlob)) for (const p of expandAbsoluteGlob(g, notes)) denied.push(...existingDenied(p));
  const workspaceRules = DEFAULT_DENY_WORKSPACE_FILES.map((pattern) => ({ pattern, filesOnly: true }));
  for (const entry of policy.filesystem?.denyRead ?? []) {
    if (hasGlob(entry) && !entry.startsWith('/') && !entry.startsWith('~')) {
      workspaceRules.push({ pattern: entry.replace(/^\.\//, ''), filesOnly: false });
      continue;
    }
    const p = expandPath(entry, home, workspace);
    if (hasGlob(p)) for (const m of expandAbsoluteGlob(p, notes)) denied.push(...existingDenied(m));
    else denied.push(...existingDenied(p));
  }
  for (const p of walkMatches(workspace, workspaceRules, notes)) denied.push(...existingDenied(p));
  const denyRead = normalizeDenied(denied);

  // read-only inside writable
  const readOnly: string[] = [];
  const addReadOnly = (p: string, explicit: string | undefined) => {
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      if (explicit) notes.push(`readOnly: ${explicit} does not exist and is skipped`);
      return;
    }
    if (!writable.some((w) => isWithin(w, real) && w !== real) && !(explicit && writable.includes(real))) return; // already read-only
    if (!readOnly.includes(real)) readOnly.push(real);
  };
  for (const rel of DEFAULT_READ_ONLY_WORKSPACE) addReadOnly(path.join(workspace, rel), undefined);
  for (const dir of ownInstallDirs()) if (!isWithin(dir, workspace)) addReadOnly(dir, undefined);
  for (const entry of policy.filesystem?.readOnly ?? []) addReadOnly(expandPath(entry, home, workspace), entry);

  const { env: scrubbed, dropped } = scrubEnv(env, policy.env?.allow ?? [], policy.env?.deny ?? []);
  return {
    backendChoice: policy.backend ?? 'auto',
    workspace,
    cwd,
    home,
    command: opts.command,
    args: opts.args ?? [],
    denyRead,
    writable,
    readOnly: readOnly.sort((a, b) => depth(a) - depth(b)),
    allowHosts: [...new Set(policy.network?.allowHosts ?? [])],
    env: scrubbed,
    droppedEnv: dropped,
    limits: { ...policy.limits },
    notes,
  };
}
