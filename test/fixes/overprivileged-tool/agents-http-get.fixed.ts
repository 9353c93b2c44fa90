// OpenAI Agents SDK integration helper: `http_get` fetches any URL the model picks; approval was switched off.
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';

const httpGet = tool({
  name: 'http_get',
  description: 'GET a JSON API endpoint and return the body.',
  parameters: z.object({ url: z.string() }),
  needsApproval: true,
  async execute({ url }) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    return (await res.text()).slice(0, 12_000);
  },
});

const integrationAgent = new Agent({
  name: 'Integration helper',
  instructions: 'Help the user explore third-party APIs by calling them with http_get.',
  tools: [httpGet],
});

export async function explore(task: string) {
  const result = await run(integrationAgent, task);
  return result.finalOutput;
}
