/**
 * Running a command in the sandbox: plan the policy, pick a backend that can isolate (or refuse),
 * start it asynchronously, stream or inherit its output, stop it on abort, timeout or a signal,
 * clean up, and return its exit code (a signal n gives 128+n, a timeout 124).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Writable } from 'node:stream';
import { CliError } from '../errors';
import { bwrapArgs, proxyEnv, seccompProgram } from './bubblewrap';
import { checkSandbox, sandboxRuntimeModule, selectBackend, type SandboxCheck } from './check';
import { planRun, type PlanOptions, type SandboxPlan } from './plan';
import type { BackendChoice, BackendName } from './policy';
import { startAllowProxy, type AllowProxy } from './proxy';
import { newCommandId, SRT_HELPER, srtConfig, srtInnerCommand, type SrtJob } from './srt';

export interface RunOptions extends PlanOptions {
  /** Overrides the policy's backend. */
  backend?: BackendChoice;
  /** 'inherit' (default without onOutput) or 'pipe' (the default with onOutput). */
  stdio?: 'inherit' | 'pipe';
  /** Receives the command's output when stdio is 'pipe'. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  /** The command's standard input (default: 'inherit' with inherited stdio, else 'ignore'). */
  stdin?: 'inherit' | 'ignore' | 'pipe';
  /** Called once the command started: the backend, and its stdin when stdin is 'pipe'. */
  onStart?: (info: { backend: BackendName; pid?: number; stdin: Writable | null }) => void;
  /** Warnings (skipped policy entries, hosts refused by the proxy). Default: ignored. */
  onNote?: (message: string) => void;
  /** Stops the sandbox (the command gets SIGTERM via its backend, then SIGKILL). */
  signal?: AbortSignal;
  /** Forward SIGINT, SIGTERM and SIGHUP of this process to the sandbox (the CLI does). */
  forwardSignals?: boolean;
}

export const TIMEOUT_EXIT_CODE = 124;

function signalExit(signal: NodeJS.Signals | null): number {
  return 128 + ((signal && os.constants.signals[signal]) || 0);
}

interface Started {
  backend: BackendName;
  child: ChildProcess;
  /** Resolves once the command runs; rejects (CliError) when the backend could not start it. */
  ready: Promise<void>;
  cleanup: () => Promise<void>;
  proxy?: AllowProxy;
}

/** Signals the sandbox: bubblewrap's whole process group, or the sandbox-runtime helper (which forwards it). */
function signalSandbox(started: Started, sig: NodeJS.Signals): void {
  const pid = started.child.pid;
  if (pid === undefined) return;
  try {
    if (started.backend === 'bubblewrap') process.kill(-pid, sig);
    else started.child.kill(sig);
  } catch {
    // already gone
  }
}

/** Waits for output streams to end, for a bounded time (a stray holder must not hang the caller). */
async function drained(streams: (NodeJS.ReadableStream | null)[]): Promise<void> {
  await Promise.all(
    streams.map((s) => {
      if (!s || (s as { closed?: boolean }).closed) return undefined;
      return new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          (s as unknown as { destroy(): void }).destroy();
          resolve();
        }, 2000);
        s.once('close', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }),
  );
}

/** The per-run folder: the command's TMPDIR inside it, and the proxy socket next to it. */
function makeRunRoot(): { root: string; tempDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wirecheck-sandbox-'));
  fs.chmodSync(root, 0o700);
  const tempDir = path.join(root, 'tmp');
  fs.mkdirSync(tempDir, { mode: 0o700 });
  return { root: fs.realpathSync(root), tempDir: fs.realpathSync(tempDir) };
}

/** The variable that marks every process of one run (see sweep). */
export const RUN_MARKER = 'WIRECHECK_SANDBOX_RUN';

function commandEnv(plan: SandboxPlan, backend: BackendName, tempDir: string, runId: string): Record<string, string> {
  return { ...plan.env, TMPDIR: tempDir, TMP: tempDir, TEMP: tempDir, WIRECHECK_SANDBOX: backend, [RUN_MARKER]: runId };
}

/**
 * Kills what is left of a run: every process whose initial environment carries the run's marker.
 * bubblewrap's inner init leaves the launcher's process group (--new-session), and when bwrap is
 * stopped while it is still setting the sandbox up, that init can outlive it; it and the command
 * both carry the marker.
 */
export function sweep(runId: string): void {
  const needle = `${RUN_MARKER}=${runId}\0`;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      if (fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes(needle)) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}

async function startBubblewrap(plan: SandboxPlan, check: SandboxCheck, stdio: StdioOptions[], runRoot: string, tempDir: string, runId: string): Promise<Started> {
  const tools = check.tools;
  let proxy: AllowProxy | undefined;
  let seccompFd: number | undefined;
  const extraFds: number[] = [];
  if (plan.allowHosts.length) proxy = await startAllowProxy(path.join(runRoot, 'proxy.sock'), plan.allowHosts);
  else {
    const program = seccompProgram();
    if (program) {
      const file = path.join(runRoot, 'seccomp.bpf');
      fs.writeFileSync(file, program, { mode: 0o600 });
      extraFds.push(fs.openSync(file, 'r'));
      seccompFd = 3;
    }
  }
  const args = bwrapArgs(plan, {
    bwrap: tools.bwrap!,
    disableUserns: check.disableUserns,
    tempDir,
    proxySocket: proxy?.socketPath,
    socat: tools.socat,
    prlimit: tools.prlimit,
    seccompFd,
  });
  const env = { ...commandEnv(plan, 'bubblewrap', tempDir, runId), ...(proxy ? proxyEnv() : {}) };
  // its own process group: bwrap's inner processes (the namespace's init) are in it too, so a
  // stop reaches them even when bwrap is still setting the sandbox up
  const child = spawn(tools.bwrap!, args, { cwd: plan.cwd, env, stdio: [...stdio, ...extraFds] as StdioOptions, detached: true });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (e) => reject(new CliError(`sandbox: cannot start bubblewrap: ${e.message}`)));
  });
  const cleanup = async () => {
    for (const fd of extraFds) fs.closeSync(fd);
    await proxy?.close();
  };
  return { backend: 'bubblewrap', child, ready, cleanup, proxy };
}

function startSandboxRuntime(plan: SandboxPlan, check: SandboxCheck, stdio: StdioOptions[], hostEnv: NodeJS.ProcessEnv, tempDir: string, runId: string): Started {
  const tools = check.tools;
  const run = { tempDir, bwrap: tools.bwrap!, socat: tools.socat!, rg: tools.rg!, prlimit: tools.prlimit };
  const job: SrtJob = {
    module: sandboxRuntimeModule().module!,
    config: srtConfig(plan, run),
    command: srtInnerCommand(plan, run),
    cwd: plan.cwd,
    env: commandEnv(plan, 'sandbox-runtime', tempDir, runId),
    commandId: newCommandId(),
    marker: `${RUN_MARKER}=${runId}`,
  };
  // the helper's own environment: enough to run node (also as Electron's node) and to reach an
  // upstream proxy of the host, nothing of the user's secrets
  // (the run's marker too: the final sweep then also ends sandbox-runtime's host-side relays, were the helper killed)
  const helperEnv: Record<string, string> = { PATH: hostEnv.PATH ?? '/usr/bin:/bin', HOME: plan.home, ELECTRON_RUN_AS_NODE: '1', [RUN_MARKER]: runId };
  for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SRT_DEBUG']) if (hostEnv[k]) helperEnv[k] = hostEnv[k]!;
  const child = spawn(process.execPath, ['-e', SRT_HELPER], { cwd: plan.cwd, env: helperEnv, stdio: [...stdio, 'pipe'] as StdioOptions });
  const ctl = child.stdio[3] as unknown as NodeJS.ReadWriteStream;
  const ready = new Promise<void>((resolve, reject) => {
    let buf = '';
    let settled = false;
    ctl.setEncoding('utf8');
    ctl.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let msg: { started?: number; error?: string };
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (settled) continue;
        settled = true;
        if (msg.error) reject(new CliError(`sandbox: sandbox-runtime could not start the command: ${msg.error}`));
        else resolve();
      }
    });
    ctl.on('error', () => {});
    child.once('error', (e) => {
      if (!settled) reject(new CliError(`sandbox: cannot start the sandbox-runtime helper: ${e.message}`));
      settled = true;
    });
    child.once('exit', (code) => {
      if (!settled) reject(new CliError(`sandbox: the sandbox-runtime helper exited (${code}) before the command started`));
      settled = true;
    });
  });
  ctl.write(JSON.stringify(job) + '\n');
  return { backend: 'sandbox-runtime', child, ready, cleanup: async () => {} };
}

/** Checks, picks the backend and resolves the plan: what `run` and `--dry-run` share. */
export async function prepareRun(opts: RunOptions): Promise<{ plan: SandboxPlan; check: SandboxCheck; backend: BackendName }> {
  const plan = planRun(opts);
  const limits = Object.entries(plan.limits).some(([k, v]) => k !== 'timeoutSeconds' && v !== undefined);
  const check = await checkSandbox({ env: opts.env, needs: { network: plan.allowHosts.length > 0, limits } });
  const backend = selectBackend(check, opts.backend ?? plan.backendChoice);
  return { plan, check, backend };
}

/**
 * Runs a command in the sandbox and resolves with its exit code. Rejects with a CliError, before
 * running anything, when no backend can isolate it or the policy is not acceptable.
 */
export async function runInSandbox(opts: RunOptions): Promise<number> {
  const { plan, check, backend } = await prepareRun(opts);
  for (const n of plan.notes) opts.onNote?.(n);
  const pipe = opts.stdio === 'pipe' || (opts.stdio === undefined && opts.onOutput !== undefined);
  const stdin = opts.stdin ?? (pipe ? 'ignore' : 'inherit');
  const stdio: StdioOptions[] = [stdin, pipe ? 'pipe' : 'inherit', pipe ? 'pipe' : 'inherit'];
  const { root, tempDir } = makeRunRoot();
  const runId = newCommandId();
  let started: Started | undefined;
  let stopping = false;
  const listeners: [NodeJS.Signals, () => void][] = [];
  let timer: NodeJS.Timeout | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let timedOut = false;
  try {
    started =
      backend === 'bubblewrap'
        ? await startBubblewrap(plan, check, stdio, root, tempDir, runId)
        : startSandboxRuntime(plan, check, stdio, opts.env ?? process.env, tempDir, runId);
    const child = started.child;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    if (pipe) {
      child.stdout?.setEncoding('utf8').on('data', (d: string) => opts.onOutput?.(d, 'stdout'));
      child.stderr?.setEncoding('utf8').on('data', (d: string) => opts.onOutput?.(d, 'stderr'));
    }
    const stop = (sig: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      stopping = true;
      signalSandbox(started!, sig);
      killTimer ??= setTimeout(() => signalSandbox(started!, 'SIGKILL'), 5000);
      killTimer.unref?.();
    };
    if (opts.signal) {
      if (opts.signal.aborted) stop();
      else opts.signal.addEventListener('abort', () => stop(), { once: true });
    }
    if (opts.forwardSignals)
      for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as NodeJS.Signals[]) {
        const l = () => stop(s);
        listeners.push([s, l]);
        process.on(s, l);
      }
    if (plan.limits.timeoutSeconds) {
      timer = setTimeout(() => {
        timedOut = true;
        stop();
      }, plan.limits.timeoutSeconds * 1000);
    }
    try {
      await started.ready;
    } catch (e) {
      // stopped before the command started: that is the stop's result, not an error
      if (!stopping) throw e;
      const { code, signal } = await exited;
      return timedOut ? TIMEOUT_EXIT_CODE : (code ?? signalExit(signal));
    }
    opts.onStart?.({ backend, pid: child.pid, stdin: child.stdin });
    const { code, signal } = await exited;
    // whatever is left of the sandbox goes with it
    if (started.backend === 'bubblewrap') signalSandbox(started, 'SIGKILL');
    sweep(runId);
    if (pipe) await drained([child.stdout, child.stderr]);
    for (const d of started.proxy?.denied ?? []) opts.onNote?.(`refused a connection to ${d} (not in network.allowHosts)`);
    if (timedOut) {
      opts.onNote?.(`stopped after ${plan.limits.timeoutSeconds} s (limits.timeoutSeconds)`);
      return TIMEOUT_EXIT_CODE;
    }
    return code ?? signalExit(signal);
  } finally {
    if (timer) clearTimeout(timer);
    if (killTimer) clearTimeout(killTimer);
    for (const [s, l] of listeners) process.off(s, l);
    if (started) sweep(runId);
    await started?.cleanup().catch(() => {});
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** What a run would do, without running it (`wirecheck sandbox --dry-run`). */
export async function describeRun(opts: RunOptions): Promise<Record<string, unknown>> {
  const { plan, check, backend } = await prepareRun(opts);
  const tempDir = path.join(os.tmpdir(), 'wirecheck-sandbox-XXXXXX', 'tmp');
  const tools = check.tools;
  const invocation =
    backend === 'bubblewrap'
      ? {
          argv: [
            tools.bwrap!,
            ...bwrapArgs(plan, {
              bwrap: tools.bwrap!,
              disableUserns: check.disableUserns,
              tempDir,
              proxySocket: plan.allowHosts.length ? path.join(path.dirname(tempDir), 'proxy.sock') : undefined,
              socat: tools.socat,
              prlimit: tools.prlimit,
              seccompFd: plan.allowHosts.length || !seccompProgram() ? undefined : 3,
            }),
          ],
        }
      : (() => {
          const run = { tempDir, bwrap: tools.bwrap!, socat: tools.socat!, rg: tools.rg!, prlimit: tools.prlimit };
          return { config: srtConfig(plan, run), command: srtInnerCommand(plan, run) };
        })();
  return {
    backend,
    workspace: plan.workspace,
    cwd: plan.cwd,
    command: [plan.command, ...plan.args],
    denyRead: plan.denyRead.map((d) => d.path),
    writable: [...plan.writable, tempDir],
    readOnly: plan.readOnly,
    allowHosts: plan.allowHosts,
    droppedEnv: plan.droppedEnv,
    limits: plan.limits,
    notes: plan.notes,
    invocation,
  };
}
