// Next.js route: the tenant's saved playbook rows (database) are placed in the AI SDK `system`.
import { streamText, convertToModelMessages, type UIMessage } from 'ai';
import { openai } from '@ai-sdk/openai';
import { Pool } from 'pg';

const pool = new Pool();

export async function POST(req: Request) {
  const { messages, tenantId }: { messages: UIMessage[]; tenantId: string } = await req.json();
  const { rows } = await pool.query<{ body: string }>('SELECT body FROM playbooks WHERE tenant_id = $1', [tenantId]);
  const playbook = rows.map((r) => r.body).join('\n');
  const result = streamText({
    model: openai('gpt-4.1-mini'),
    system: `Follow the tenant playbook when you answer.\n${playbook}`,
    messages: await convertToModelMessages(messages),
  });
  return result.toUIMessageStreamResponse();
}
