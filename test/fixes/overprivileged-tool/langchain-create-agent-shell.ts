// LangChain v1 coding agent: the `run_shell` tool executes whatever command the model writes.
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { tool } from '@langchain/core/tools';
import { createAgent } from 'langchain';
import { z } from 'zod';

const sh = promisify(exec);

const runShell = tool(
  async ({ command }) => {
    const { stdout, stderr } = await sh(command, { cwd: process.cwd(), timeout: 60_000 });
    return stdout + stderr;
  },
  {
    name: 'run_shell',
    description: 'Run a shell command in the project folder.',
    schema: z.object({ command: z.string() }),
  },
);

export const codingAgent = createAgent({
  model: 'openai:gpt-4.1',
  tools: [runShell],
});

export async function work(task: string, threadId: string) {
  return codingAgent.invoke({ messages: [{ role: 'user', content: task }] }, { configurable: { thread_id: threadId } });
}
