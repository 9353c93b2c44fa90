// DevOps helper: Claude proposes the next runbook step; the command and the branch to deploy are run on the host.
import { exec, execFileSync } from 'node:child_process';
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

async function ask(system: string, incident: string): Promise<string> {
  const msg = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    system,
    messages: [{ role: 'user', content: incident }],
  });
  return msg.content.map((block) => (block.type === 'text' ? block.text : '')).join('').trim();
}

export async function nextStep(incident: string): Promise<void> {
  const command = await ask('Reply with exactly one shell command that diagnoses the incident.', incident);
  const ALLOWED_COMMANDS: readonly unknown[] = [/* the exact commands you accept */];
  if (!ALLOWED_COMMANDS.includes(command)) throw new Error('unsupported command');
  exec(command, (err, stdout) => console.log(err ?? stdout));
}

export async function deployFix(incident: string): Promise<string> {
  const branch = await ask('Reply with the name of the hotfix branch to deploy, nothing else.', incident);
  const ALLOWED_BRANCHES: readonly unknown[] = [/* the exact values you accept */];
  if (!ALLOWED_BRANCHES.includes(branch)) throw new Error('unsupported branch');
  return execFileSync('git', ['checkout', branch], { encoding: 'utf8' });
}
