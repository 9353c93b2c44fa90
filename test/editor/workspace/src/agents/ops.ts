// The on-call assistant: answers questions about a host and can run a diagnostic command on it.
import { openai } from '@ai-sdk/openai';
import { generateText, stepCountIs, tool } from 'ai';
import { execSync } from 'node:child_process';
import { z } from 'zod';

const runDiagnostic = tool({
  description: 'Run a shell command on the on-call host and return its output.',
  inputSchema: z.object({ command: z.string() }),
  execute: async ({ command }) => execSync(command, { encoding: 'utf8', timeout: 10_000 }),
});

export async function askOps(question: string) {
  const result = await generateText({
    model: openai('gpt-4.1-mini'),
    system: 'You help the on-call engineer investigate incidents.',
    prompt: question,
    tools: { run_diagnostic: runDiagnostic },
    stopWhen: stepCountIs(4),
  });
  return result.text;
}
