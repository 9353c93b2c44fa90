/**
 * The bubblewrap backend: builds the bwrap invocation for a plan.
 *
 * - the whole file system read-only (`--ro-bind / /`), a fresh /dev and /proc, private empty
 *   /tmp, /run and /var/run (their sockets — ssh-agent, tmux, X11, D-Bus, Docker — stay out of
 *   reach), the workspace, the per-run temporary folder and the allowWrite paths bound writable;
 * - every denied folder covered by an empty read-only tmpfs and every denied file by /dev/null,
 *   placed after the writable binds that contain them (mounts are ordered by depth, so a deeper
 *   mount always lands on top of the one above it);
 * - all namespaces unshared (no network at all, own PIDs, IPC, UTS), no capabilities
 *   (`--cap-drop ALL`: as root, without it the sandbox could unmount the masks), no further user
 *   namespaces (`--disable-userns`, bubblewrap 0.8+), a new session (no TIOCSTI into the
 *   terminal), killed with its parent;
 * - without an allow list, a seccomp filter refuses unix sockets (the way out through a host
 *   service's socket) and io_uring; with one, socat inside bridges 127.0.0.1:3128 to the host
 *   proxy's socket (and so needs unix sockets itself).
 */
import * as fs from 'node:fs';
import type { SandboxPlan } from './plan';
import { depth } from './paths';

/** Where the proxy socket appears inside the sandbox. */
export const PROXY_SOCKET_INSIDE = '/run/wirecheck/proxy.sock';
export const PROXY_PORT_INSIDE = 3128;

export interface BwrapRun {
  bwrap: string;
  /** bubblewrap knows --disable-userns. */
  disableUserns: boolean;
  tempDir: string;
  /** The host proxy's unix socket, when hosts are allowed. */
  proxySocket?: string;
  socat?: string;
  prlimit?: string;
  /** The fd number the seccomp program is passed on, when one is used. */
  seccompFd?: number;
}

type MountKind = 'hide' | 'write' | 'read-only' | 'deny-dir' | 'deny-file';
const KIND_ORDER: Record<MountKind, number> = { hide: 0, write: 1, 'read-only': 2, 'deny-dir': 3, 'deny-file': 4 };

interface Mount {
  kind: MountKind;
  dest: string;
  src?: string;
}

function mountArgs(m: Mount): string[] {
  switch (m.kind) {
    case 'hide':
      return ['--tmpfs', m.dest];
    case 'write':
      return ['--bind', m.src ?? m.dest, m.dest];
    case 'read-only':
      return ['--ro-bind', m.src ?? m.dest, m.dest];
    case 'deny-dir':
      return ['--tmpfs', m.dest, '--remount-ro', m.dest];
    case 'deny-file':
      return ['--ro-bind', '/dev/null', m.dest];
  }
}

/** Folders replaced by an empty private tmpfs. */
export const HIDDEN_DIRS = ['/tmp', '/run', '/var/run'];

/** prlimit arguments for the plan's limits (empty when there are none). */
export function prlimitArgs(prlimit: string | undefined, limits: SandboxPlan['limits']): string[] {
  const flags: string[] = [];
  const mib = 1024 * 1024;
  if (limits.memoryMB) flags.push(`--data=${limits.memoryMB * mib}`);
  if (limits.cpuSeconds) flags.push(`--cpu=${limits.cpuSeconds}`);
  if (limits.processes) flags.push(`--nproc=${limits.processes}`);
  if (limits.fileSizeMB) flags.push(`--fsize=${limits.fileSizeMB * mib}`);
  if (!flags.length) return [];
  if (!prlimit) throw new Error('prlimit is needed for resource limits');
  return [prlimit, ...flags, '--'];
}

/** The script that starts the proxy bridge inside the sandbox, waits until it listens, then runs the command. */
export function bridgeScript(): string {
  const hexPort = PROXY_PORT_INSIDE.toString(16).toUpperCase().padStart(4, '0');
  return [
    `"$1" TCP-LISTEN:${PROXY_PORT_INSIDE},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${PROXY_SOCKET_INSIDE} 2>/dev/null &`,
    'shift',
    'i=0',
    `while ! grep -q ': 0100007F:${hexPort} 00000000:0000 0A ' /proc/net/tcp 2>/dev/null; do`,
    '  i=$((i+1))',
    '  if [ "$i" -gt 1000 ]; then echo "wirecheck sandbox: the network bridge (socat) did not start" >&2; exit 125; fi',
    '  sleep 0.01',
    'done',
    'exec "$@"',
  ].join('\n');
}

/** The bwrap arguments (without the bwrap path itself) for a plan. */
export function bwrapArgs(plan: SandboxPlan, run: BwrapRun): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-all', '--unshare-user'];
  if (run.disableUserns) args.push('--disable-userns');
  args.push('--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc');

  const mounts: Mount[] = [];
  for (const d of HIDDEN_DIRS) mounts.push({ kind: 'hide', dest: d });
  for (const w of [...plan.writable, run.tempDir]) mounts.push({ kind: 'write', dest: w });
  if (run.proxySocket) mounts.push({ kind: 'write', src: run.proxySocket, dest: PROXY_SOCKET_INSIDE });
  for (const r of plan.readOnly) mounts.push({ kind: 'read-only', dest: r });
  for (const d of plan.denyRead) mounts.push({ kind: d.kind === 'dir' ? 'deny-dir' : 'deny-file', dest: d.path });
  // /var/run is usually a symlink to /run: a mount on it would land on /run again
  const ordered = mounts
    .filter((m) => !(m.kind === 'hide' && m.dest === '/var/run' && isSymlink('/var/run')))
    .sort((a, b) => depth(a.dest) - depth(b.dest) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  for (const m of ordered) args.push(...mountArgs(m));

  if (run.seccompFd !== undefined) args.push('--seccomp', String(run.seccompFd));
  args.push('--chdir', plan.cwd, '--');
  if (run.proxySocket) {
    if (!run.socat) throw new Error('socat is needed for allowed hosts');
    args.push('/bin/sh', '-c', bridgeScript(), 'wirecheck-sandbox', run.socat);
  }
  args.push(...prlimitArgs(run.prlimit, plan.limits), plan.command, ...plan.args);
  return args;
}

function isSymlink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Variables the sandboxed command sees for the proxy bridge. */
export function proxyEnv(): Record<string, string> {
  const url = `http://127.0.0.1:${PROXY_PORT_INSIDE}`;
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    ALL_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    all_proxy: url,
    NO_PROXY: 'localhost,127.0.0.1,::1',
    no_proxy: 'localhost,127.0.0.1,::1',
  };
}

// ---- seccomp: refuse socket(AF_UNIX, …) and io_uring_setup -------------------------------------

const AUDIT_ARCH: Record<string, { arch: number; socket: number; x32: boolean }> = {
  x64: { arch: 0xc000003e, socket: 41, x32: true },
  arm64: { arch: 0xc00000b7, socket: 198, x32: false },
};
const NR_IO_URING_SETUP = 425;
const AF_UNIX = 1;
const EPERM = 1;
const RET_ALLOW = 0x7fff0000;
const RET_ERRNO = 0x00050000;
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;

/**
 * A classic BPF seccomp program for `--seccomp`: socket(AF_UNIX) and io_uring_setup fail with
 * EPERM, system calls of another ABI (i386, x32) too; everything else is allowed. Undefined on an
 * architecture without a table here.
 */
export function seccompProgram(arch: string = process.arch): Buffer | undefined {
  const a = AUDIT_ARCH[arch];
  if (!a) return undefined;
  // [code, jt-label, jf-label, k]; labels are 'next', 'allow' or 'deny'
  type Ins = [number, string | number, string | number, number];
  const prog: Ins[] = [
    [LD_W_ABS, 0, 0, 4], // seccomp_data.arch
    [JEQ_K, 'next', 'deny', a.arch],
    [LD_W_ABS, 0, 0, 0], // seccomp_data.nr
    ...(a.x32 ? ([[JGE_K, 'deny', 'next', 0x40000000]] as Ins[]) : []),
    [JEQ_K, 'deny', 'next', NR_IO_URING_SETUP],
    [JEQ_K, 'next', 'allow', a.socket],
    [LD_W_ABS, 0, 0, 16], // seccomp_data.args[0] (low half, little-endian)
    [JEQ_K, 'deny', 'allow', AF_UNIX],
    [RET_K, 0, 0, RET_ALLOW],
    [RET_K, 0, 0, RET_ERRNO | EPERM],
  ];
  const allow = prog.length - 2;
  const deny = prog.length - 1;
  const buf = Buffer.alloc(prog.length * 8);
  prog.forEach(([code, jt, jf, k], i) => {
    const off = (l: string | number) => (l === 'next' ? 0 : l === 'allow' ? allow - i - 1 : l === 'deny' ? deny - i - 1 : (l as number));
    buf.writeUInt16LE(code, i * 8);
    buf.writeUInt8(off(jt), i * 8 + 2);
    buf.writeUInt8(off(jf), i * 8 + 3);
    buf.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return buf;
}
