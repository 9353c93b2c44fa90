/**
 * The sandbox-runtime backend (@anthropic-ai/sandbox-runtime, pinned): bubblewrap plus its
 * filtering proxy, a seccomp filter that refuses unix sockets and namespaces, and built-in write
 * protection of git hooks and editor settings.
 *
 * Its SandboxManager is a process-wide singleton that reads process.cwd(), and its filtering
 * proxy runs in the process that calls it. So every run gets a small helper Node process of its
 * own (started in the run's folder): it initializes the manager with an explicit policy — the
 * library's defaults deny no reads — wraps the command, spawns it asynchronously (a synchronous
 * spawn would block the proxy), forwards signals, resets the manager and exits with the
 * command's code. The helper dies with its parent: the control pipe closing stops the sandbox.
 */
import * as crypto from 'node:crypto';
import type { SandboxPlan } from './plan';
import { prlimitArgs } from './bubblewrap';

export interface SrtRun {
  tempDir: string;
  bwrap: string;
  socat: string;
  rg: string;
  prlimit?: string;
}

type PathEntry = { path: string; literal: true };
const literal = (p: string): PathEntry => ({ path: p, literal: true });

/** The sandbox-runtime configuration for a plan (what SandboxManager.initialize receives). */
export function srtConfig(plan: SandboxPlan, run: SrtRun) {
  return {
    network: { allowedDomains: plan.allowHosts, deniedDomains: [] as string[], strictAllowlist: true },
    filesystem: {
      // always explicit: with an empty list sandbox-runtime lets everything be read
      denyRead: plan.denyRead.map((d) => literal(d.path)),
      allowWrite: [...plan.writable, run.tempDir].map(literal),
      // the helper adds sandbox-runtime's own default write paths (/tmp/claude, ~/.npm/_logs…)
      denyWrite: plan.readOnly.map(literal),
    },
    ripgrep: { command: run.rg },
    bwrapPath: run.bwrap,
    socatPath: run.socat,
  };
}

/** POSIX shell quoting. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell command sandbox-runtime wraps: our TMPDIR (it sets its own otherwise), the limits,
 * then the command itself, exec'd.
 */
export function srtInnerCommand(plan: SandboxPlan, run: SrtRun): string {
  const t = shQuote(run.tempDir);
  const argv = [...prlimitArgs(run.prlimit, plan.limits), plan.command, ...plan.args];
  return `export TMPDIR=${t} TMP=${t} TEMP=${t}; exec ${argv.map(shQuote).join(' ')}`;
}

export function newCommandId(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/**
 * The helper program (run with `node -e`). Reads one JSON line (the job) from fd 3, answers
 * `{"started":pid}` or `{"error":message}` on it, and exits with the command's exit code.
 */
export const SRT_HELPER = String.raw`
'use strict';
const net = require('node:net');
const os = require('node:os');
const { spawn } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const ctl = new net.Socket({ fd: 3, readable: true, writable: true });
let child, manager, done = false, buf = '', job;
const send = (m) => { try { ctl.write(JSON.stringify(m) + '\n'); } catch {} };
const signum = (s) => (s && os.constants.signals[s]) || 0;
async function finish(code) {
  if (done) return; done = true;
  if (manager) await manager.reset().catch(() => {});
  ctl.end();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 300).unref();
}
// the command runs in a process group of its own: bubblewrap's inner processes are in it too, so a
// signal reaches them even while the sandbox is being set up
const group = (sig) => { try { process.kill(-child.pid, sig); } catch {} };
// what is left outside the group (bubblewrap's inner init starts a session of its own) carries the run's marker
function sweep() {
  const fs = require('node:fs');
  const needle = job.marker + '\0';
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    try { if (fs.readFileSync('/proc/' + pid + '/environ', 'latin1').includes(needle)) process.kill(Number(pid), 'SIGKILL'); } catch {}
  }
}
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => { if (child) group(s); else finish(128 + signum(s)); });
ctl.on('error', () => {});
ctl.on('end', () => { if (child) { group('SIGKILL'); sweep(); } else finish(125); });
ctl.setEncoding('utf8');
ctl.on('data', (d) => {
  if (job) return;
  buf += d;
  const i = buf.indexOf('\n');
  if (i < 0) return;
  job = JSON.parse(buf.slice(0, i));
  start().catch((e) => { send({ error: String((e && e.message) || e) }); finish(125); });
});
async function start() {
  const srt = await import(pathToFileURL(job.module).href);
  manager = srt.SandboxManager;
  const own = srt.getDefaultWritePaths().filter((p) => !p.startsWith('/dev/'));
  job.config.filesystem.denyWrite.push(...own.map((p) => ({ path: p, literal: true })));
  await manager.initialize(job.config);
  const wrapped = await manager.wrapWithSandboxArgv(job.command, undefined, undefined, undefined, job.cwd, { commandId: job.commandId });
  if (done) return;
  child = spawn(wrapped.argv[0], wrapped.argv.slice(1), { cwd: job.cwd, env: job.env, stdio: 'inherit', detached: true });
  child.on('spawn', () => send({ started: child.pid }));
  child.on('error', (e) => { send({ error: e.message }); finish(125); });
  child.on('exit', (code, signal) => { group('SIGKILL'); sweep(); finish(code === null ? 128 + signum(signal) : code); });
}
`;

export interface SrtJob {
  module: string;
  config: ReturnType<typeof srtConfig>;
  command: string;
  cwd: string;
  env: Record<string, string>;
  commandId: string;
  /** `WIRECHECK_SANDBOX_RUN=<id>`: marks the run's processes for the final sweep. */
  marker: string;
}
