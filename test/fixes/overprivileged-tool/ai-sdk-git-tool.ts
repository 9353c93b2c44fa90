// Repository Q&A route: the AI SDK `git` tool runs the model's arguments through a shell.
import { execSync } from 'node:child_process';
import { openai } from '@ai-sdk/openai';
import { stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

const REPO_DIR = process.env.REPO_DIR ?? '/srv/repos/app';

export const gitTool = tool({
  description: 'Run a read-only git command (log, show, diff, blame) in the repository.',
  inputSchema: z.object({
    args: z.string().describe('Arguments after `git`, e.g. "log --oneline -n 20"'),
  }),
  execute: async ({ args }) => {
    const output = execSync(`git ${args}`, { cwd: REPO_DIR, encoding: 'utf8', maxBuffer: 1 << 20 });
    return output.length > 8000 ? output.slice(0, 8000) + '\n[truncated]' : output;
  },
});

export function POST(req: Request) {
  return req.json().then(({ question }: { question: string }) =>
    streamText({
      model: openai('gpt-4.1-mini'),
      system: 'Answer questions about the repository history. Use the git tool; never guess commit ids.',
      messages: [{ role: 'user', content: question }],
      tools: { git: gitTool },
      stopWhen: stepCountIs(6),
    }).toUIMessageStreamResponse(),
  );
}
