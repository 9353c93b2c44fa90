// DevOps helper: Claude proposes the next runbook step; the command and the branch to deploy are run on the host.
import { exec, execSync } from 'node:child_process';
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
  exec(command, (err, stdout) => console.log(err ?? stdout));
}

export async function deployFix(incident: string): Promise<string> {
  const branch = await ask('Reply with the name of the hotfix branch to deploy, nothing else.', incident);
  return execSync(`git checkout ${branch}`, { encoding: 'utf8' });
}
