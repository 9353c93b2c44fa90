/**
 * `wirecheck sandbox`: runs an experiment (a script, an agent, a downloaded model's code) with
 * kernel isolation — no credentials, no network beyond an allow list, writes only in the
 * workspace — and exits with its exit code. `--check` reports what isolation this machine has.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError } from './errors';
import { BACKEND_CHOICES, checkSandbox, describeRun, loadSandboxPolicy, runInSandbox, type BackendChoice, type SandboxCheck } from './sandbox';

export interface SandboxIo {
  cwd: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env?: NodeJS.ProcessEnv;
}

export const SANDBOX_HELP = `Usage:
  wirecheck sandbox [options] -- CMD [ARGS…]   run CMD isolated; exits with its exit code
  wirecheck sandbox --check [--json]           report what isolation is available

In the sandbox CMD can read the file system except credentials (~/.ssh, ~/.aws,
~/.config/gcloud, ~/.azure, ~/.kube, ~/.docker, ~/.npmrc, ~/.netrc, ~/.git-credentials,
~/.gnupg, ~/.config/gh, .env* files in the workspace and more), write only the workspace and a
temporary folder (TMPDIR), reach no network except allowed hosts through a proxy, and does not
see secret-looking environment variables. It never runs unsandboxed: without bubblewrap and user
namespaces it refuses and says how to fix it.

Options:
  --policy FILE        policy file: a sandbox section, or a config with a "sandbox" key
                       (default: the "sandbox" section of the discovered wirecheck config)
  --allow-host HOST    allow connections to HOST (api.openai.com, *.hf.co, localhost:8080);
                       repeatable
  --allow-write PATH   allow writing PATH too (repeatable)
  --deny-read PATH     hide PATH too, a path or a glob (repeatable)
  --allow-env NAME     pass the secret-looking variable NAME (or a * pattern); repeatable
  --backend auto|bubblewrap|sandbox-runtime
                       isolation backend (default: auto = bubblewrap; sandbox-runtime adds a
                       seccomp filter on unix sockets also when hosts are allowed)
  --workspace DIR      the folder CMD may write (default: the current folder)
  --dry-run            print what would be isolated and the backend invocation as JSON
  --verbose            print what is isolated before running
  --check              report the backends, user namespaces and tools; exit 0 when the
                       command could be isolated, 2 otherwise
  --json               with --check: print the report as JSON

Exit codes: CMD's exit code (128+n when killed by signal n, 124 after limits.timeoutSeconds),
2 when the sandbox cannot start (nothing is run) or for a usage or policy error.
Docs: https://github.com/wirecheck/wirecheck/blob/main/docs/sandbox.md`;

function usage(message: string): CliError {
  return new CliError(`${message}\nRun 'wirecheck sandbox --help' for usage.`);
}

function formatCheck(c: SandboxCheck): string {
  const tool = (p: string | undefined, name: string) => p ?? `missing (${name})`;
  const lines = [
    'wirecheck sandbox: isolation on this machine',
    `  platform           ${c.platform} ${c.arch}${c.uid !== undefined ? `, uid ${c.uid}${c.uid === 0 ? ' (root)' : ''}` : ''}`,
    `  user namespaces    ${c.userNamespaces.ok ? 'available' : `not available${c.userNamespaces.detail ? `: ${c.userNamespaces.detail}` : ''}`}`,
    `  bwrap              ${c.tools.bwrap ? `${c.tools.bwrap}${c.bwrapVersion ? ` (${c.bwrapVersion})` : ''}` : 'missing (package bubblewrap)'}`,
    `  socat              ${tool(c.tools.socat, 'package socat; needed for allowed hosts')}`,
    `  rg                 ${tool(c.tools.rg, 'package ripgrep; needed by sandbox-runtime')}`,
    `  prlimit            ${tool(c.tools.prlimit, 'package util-linux; needed for resource limits')}`,
    `  sandbox-runtime    ${c.sandboxRuntime.error ?? `@anthropic-ai/sandbox-runtime ${c.sandboxRuntime.version ?? ''}`.trim()}`,
    '',
    'Backends:',
  ];
  for (const [name, s] of Object.entries(c.backends)) {
    lines.push(`  ${name.padEnd(17)}  ${s.usable ? 'usable' : 'not usable'}`);
    for (const p of s.problems) lines.push(`      - ${p}`);
  }
  lines.push('', c.auto ? `auto uses: ${c.auto}` : 'auto uses: nothing — no backend can isolate a command here, so `wirecheck sandbox` refuses to run one.');
  if (!c.auto && c.platform === 'linux' && (!c.tools.bwrap || !c.tools.socat || !c.tools.rg))
    lines.push('To fix it, install the sandbox tools: sudo apt-get install bubblewrap socat ripgrep (Debian, Ubuntu).');
  return lines.join('\n') + '\n';
}

export async function sandboxCommand(argv: string[], io: SandboxIo): Promise<number> {
  const dashes = argv.indexOf('--');
  const optionArgs = dashes === -1 ? argv : argv.slice(0, dashes);
  const commandArgs = dashes === -1 ? [] : argv.slice(dashes + 1);
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: optionArgs,
      allowPositionals: true,
      strict: true,
      options: {
        policy: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        'allow-write': { type: 'string', multiple: true },
        'deny-read': { type: 'string', multiple: true },
        'allow-env': { type: 'string', multiple: true },
        backend: { type: 'string' },
        workspace: { type: 'string' },
        'dry-run': { type: 'boolean' },
        verbose: { type: 'boolean' },
        check: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw usage(`${(e as Error).message}${dashes === -1 ? ' (put the command after --: wirecheck sandbox [options] -- CMD [ARGS…])' : ''}`);
  }
  if (values.help) {
    io.stdout(SANDBOX_HELP + '\n');
    return 0;
  }
  const env = io.env ?? process.env;
  if (values.check) {
    if (positionals.length || commandArgs.length) throw usage('--check takes no command');
    const report = await checkSandbox({ env });
    io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : formatCheck(report));
    return report.auto ? 0 : 2;
  }
  if (values.json) throw usage('--json goes with --check');
  const backend = values.backend as string | undefined;
  if (backend !== undefined && !BACKEND_CHOICES.includes(backend as BackendChoice)) throw usage(`--backend must be one of ${BACKEND_CHOICES.join(', ')} (got '${backend}')`);
  const command = [...positionals, ...commandArgs];
  if (!command.length) throw usage('no command given: wirecheck sandbox [options] -- CMD [ARGS…]');

  const workspace = values.workspace !== undefined ? path.resolve(io.cwd, values.workspace as string) : undefined;
  const policy = loadSandboxPolicy({
    cwd: io.cwd,
    policyFile: values.policy as string | undefined,
    additions: {
      allowHosts: values['allow-host'] as string[] | undefined,
      allowWrite: values['allow-write'] as string[] | undefined,
      denyRead: values['deny-read'] as string[] | undefined,
      allowEnv: values['allow-env'] as string[] | undefined,
      backend: backend as BackendChoice | undefined,
    },
  });
  const options = { policy, command: command[0], args: command.slice(1), cwd: io.cwd, workspace, env };
  if (values['dry-run']) {
    io.stdout(JSON.stringify(await describeRun(options), null, 2) + '\n');
    return 0;
  }
  const note = (m: string) => io.stderr(`wirecheck sandbox: ${m}\n`);
  if (values.verbose) {
    const d = await describeRun(options);
    note(`backend ${d.backend}; writable: ${(d.writable as string[]).join(', ')}`);
    note(`hidden: ${(d.denyRead as string[]).join(', ') || 'nothing found'}`);
    note(`network: ${(d.allowHosts as string[]).length ? (d.allowHosts as string[]).join(', ') : 'none'}`);
    if ((d.droppedEnv as string[]).length) note(`environment variables dropped: ${(d.droppedEnv as string[]).join(', ')}`);
  }
  return runInSandbox({ ...options, stdio: 'inherit', forwardSignals: true, onNote: note });
}
