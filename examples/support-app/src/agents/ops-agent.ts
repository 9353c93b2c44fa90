// Ops assistant for the on-call support engineer: diagnoses the support backend's own services
// (API, mailer, triage worker) on the host they run on (OpenAI Agents SDK).
import { exec, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Agent, tool } from '@openai/agents';
import { z } from 'zod';

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

const AGENT_MODEL = process.env.AGENT_MODEL ?? 'gpt-4.1-mini';

/**
 * The first version: the model writes a command line and `exec` runs it in a shell on the host.
 * Whatever reaches the conversation (a pasted log line, an error message that quotes a customer's
 * ticket) can steer the model into `curl … | sh`, `rm -rf` or reading the database password.
 */
const runDiagnostic = tool({
  name: 'run_diagnostic',
  description: 'Run a diagnostic shell command on the support backend host and return its output.',
  parameters: z.object({
    command: z.string().describe('The command line to run, for example "df -h" or "systemctl status acme-mailer"'),
  }),
  execute: async ({ command }) => {
    // Unsafe: a model-chosen command line in a shell, with no allowlist, no approval and no sandbox.
    // wirecheck-expect: overprivileged-tool
    const { stdout, stderr } = await execAsync(command, { timeout: 30_000 });
    return `${stdout}${stderr}`.slice(-4000);
  },
});

export const opsAgent = new Agent({
  name: 'Ops assistant',
  model: AGENT_MODEL,
  instructions: `You help the on-call engineer diagnose the Acme support backend.
Use run_diagnostic to inspect the host. Prefer read-only commands and explain what you found.`,
  tools: [runDiagnostic],
});

/** systemd units of the services the assistant may look at. */
const SERVICE_UNITS = {
  api: 'acme-support-api.service',
  mailer: 'acme-mailer.service',
  'triage-worker': 'acme-triage-worker.service',
} as const;

const serviceLogs = tool({
  name: 'service_logs',
  description: 'Read the most recent log lines of one of the support backend services.',
  parameters: z.object({
    service: z.enum(['api', 'mailer', 'triage-worker']),
    lines: z.number().int().min(1).max(500),
  }),
  execute: async ({ service, lines }) => {
    // Fine: a fixed binary via execFile (no shell), an enum-selected unit and a bounded number.
    // wirecheck-ok: overprivileged-tool
    const { stdout } = await execFileAsync('journalctl', ['--unit', SERVICE_UNITS[service], '--lines', String(lines), '--no-pager'], {
      timeout: 30_000,
    });
    return stdout.slice(-8000);
  },
});

const runApprovedCommand = tool({
  name: 'run_approved_command',
  description: 'Propose a shell command on the support backend host. The on-call engineer approves or rejects each one.',
  parameters: z.object({ command: z.string() }),
  needsApproval: true,
  execute: async ({ command }) => {
    // Fine: the run pauses at every call until a human approves this exact command.
    // wirecheck-ok: overprivileged-tool
    const { stdout, stderr } = await execAsync(command, { timeout: 30_000 });
    return `${stdout}${stderr}`.slice(-4000);
  },
});

/** The fixed version: read-only logs through a narrow tool, anything else behind an approval. */
export const safeOpsAgent = new Agent({
  name: 'Ops assistant (approval required)',
  model: AGENT_MODEL,
  instructions: `You help the on-call engineer diagnose the Acme support backend.
Read logs with service_logs. If a command is really needed, propose it with run_approved_command and explain why.`,
  tools: [serviceLogs, runApprovedCommand],
});
