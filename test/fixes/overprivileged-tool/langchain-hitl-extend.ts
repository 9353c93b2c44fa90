// LangChain agent with human review for file writes only: `delete_path` was added later and runs unreviewed.
import { rm, writeFile } from 'node:fs/promises';
import { tool } from '@langchain/core/tools';
import { createAgent, humanInTheLoopMiddleware } from 'langchain';
import { MemorySaver } from '@langchain/langgraph';
import { z } from 'zod';

const writeFileTool = tool(
  async ({ path, content }) => {
    await writeFile(path, content);
    return `wrote ${path}`;
  },
  {
    name: 'write_file',
    description: 'Write a file in the repository.',
    schema: z.object({ path: z.string(), content: z.string() }),
  },
);

const deletePath = tool(
  async ({ target }) => {
    await rm(target, { recursive: true, force: true });
    return `deleted ${target}`;
  },
  {
    name: 'delete_path',
    description: 'Delete a file or folder in the repository.',
    schema: z.object({ target: z.string() }),
  },
);

export const repoAgent = createAgent({
  model: 'openai:gpt-4.1',
  tools: [writeFileTool, deletePath],
  checkpointer: new MemorySaver(),
  middleware: [
    humanInTheLoopMiddleware({
      interruptOn: {
        write_file: { allowedDecisions: ['approve', 'reject'] },
      },
    }),
  ],
});
