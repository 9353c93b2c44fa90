/**
 * The sandbox launcher's library API (used by `wirecheck sandbox` and the editor's "Run File in
 * Sandbox"):
 *
 *   const policy = loadSandboxPolicy({ cwd: folder });           // config's `sandbox` section
 *   const { command, args } = commandForFile(file, { root: folder });
 *   const code = await runInSandbox({ cwd: folder, command, args, policy,
 *     onOutput: (text) => terminal.write(text), signal: abort.signal });
 *
 * Or, to run it in a terminal of its own: `sandboxCommandLine({ cliPath, cwd, command, args })`.
 * `checkSandbox()` says what isolation is available. Nothing here runs a command unsandboxed:
 * when no backend can isolate it, runInSandbox rejects with a CliError that says how to fix it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverConfig } from '../../analyzers/engine/config';
import { CliError } from '../errors';
import { policyFromConfig, readPolicyFile, withAdditions, type BackendChoice, type PolicyAdditions, type SandboxPolicy } from './policy';

export { checkSandbox, selectBackend, INSTALL_HINT, type SandboxCheck, type BackendStatus } from './check';
export { runInSandbox, describeRun, prepareRun, TIMEOUT_EXIT_CODE, type RunOptions } from './run';
export { planRun, type SandboxPlan, type PlanOptions } from './plan';
export { scrubEnv, secretReason } from './env';
export { hostAllowed } from './proxy';
export {
  validatePolicy,
  readPolicyFile,
  policyFromConfig,
  withAdditions,
  DEFAULT_DENY_HOME,
  DEFAULT_DENY_SYSTEM,
  DEFAULT_DENY_WORKSPACE_FILES,
  DEFAULT_READ_ONLY_WORKSPACE,
  BACKEND_CHOICES,
  type SandboxPolicy,
  type SandboxLimits,
  type BackendChoice,
  type BackendName,
  type PolicyAdditions,
} from './policy';
export { CliError };

/**
 * The policy for a folder: `policyFile` when given (a sandbox section or a config with a `sandbox`
 * key), else the `sandbox` section of the configuration discovered from `cwd` (none: built-ins only).
 */
export function loadSandboxPolicy(opts: { cwd: string; policyFile?: string; additions?: PolicyAdditions }): SandboxPolicy {
  let policy: SandboxPolicy;
  if (opts.policyFile) policy = readPolicyFile(path.resolve(opts.cwd, opts.policyFile));
  else {
    const { file, config } = discoverConfig(opts.cwd);
    policy = policyFromConfig(config as unknown, file ?? 'configuration');
  }
  return opts.additions ? withAdditions(policy, opts.additions) : policy;
}

/** Looks upwards from `from` (up to `root`) for a file. */
function findUp(from: string, root: string | undefined, rel: string): string | undefined {
  let dir = from;
  for (;;) {
    const f = path.join(dir, rel);
    if (fs.existsSync(f)) return f;
    if (root && path.resolve(dir) === path.resolve(root)) return undefined;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * How to run a file by its extension: node for JavaScript, tsx for TypeScript (the project's own
 * when installed, else `npx tsx`), the project's virtualenv python (`.venv`, `venv`) or python3
 * for Python, bash for shell scripts.
 */
export function commandForFile(file: string, opts: { root?: string } = {}): { command: string; args: string[] } {
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  const ext = path.extname(abs).toLowerCase();
  if (['.js', '.mjs', '.cjs'].includes(ext)) return { command: 'node', args: [abs] };
  if (['.ts', '.mts', '.cts', '.tsx'].includes(ext)) {
    const local = findUp(dir, opts.root, 'node_modules/.bin/tsx');
    return local ? { command: local, args: [abs] } : { command: 'npx', args: ['tsx', abs] };
  }
  if (ext === '.py') {
    const venv = findUp(dir, opts.root, '.venv/bin/python') ?? findUp(dir, opts.root, 'venv/bin/python');
    return { command: venv ?? 'python3', args: [abs] };
  }
  if (ext === '.sh' || ext === '.bash') return { command: 'bash', args: [abs] };
  throw new CliError(`sandbox: no known way to run ${path.basename(abs)} (supported: .js .mjs .cjs .ts .mts .cts .tsx .py .sh)`);
}

/**
 * The command line that runs `wirecheck sandbox` in a terminal of its own (for an editor
 * terminal): `{ command: node, args: [cliPath, 'sandbox', …, '--', command, …args] }`.
 */
export function sandboxCommandLine(opts: {
  /** dist/cli.js of this package. */
  cliPath: string;
  command: string;
  args?: string[];
  workspace?: string;
  policyFile?: string;
  backend?: BackendChoice;
  allowHosts?: string[];
  allowWrite?: string[];
  denyRead?: string[];
  allowEnv?: string[];
  /** The Node executable (default: process.execPath, which needs ELECTRON_RUN_AS_NODE=1 under Electron). */
  node?: string;
}): { command: string; args: string[] } {
  const args = [opts.cliPath, 'sandbox'];
  if (opts.policyFile) args.push('--policy', opts.policyFile);
  if (opts.workspace) args.push('--workspace', opts.workspace);
  if (opts.backend) args.push('--backend', opts.backend);
  for (const h of opts.allowHosts ?? []) args.push('--allow-host', h);
  for (const w of opts.allowWrite ?? []) args.push('--allow-write', w);
  for (const d of opts.denyRead ?? []) args.push('--deny-read', d);
  for (const e of opts.allowEnv ?? []) args.push('--allow-env', e);
  args.push('--', opts.command, ...(opts.args ?? []));
  return { command: opts.node ?? process.execPath, args };
}
