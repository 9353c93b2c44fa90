// Support bot on Chat Completions function calling: the `find_orders` handler splices model arguments into SQL.
import OpenAI from 'openai';
import { Pool } from 'pg';

const openai = new OpenAI();
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

type Args = { email: string; status: string; limit: number };

const handlers: Record<string, (args: Args) => Promise<unknown>> = {
  async find_orders(args) {
    const { rows } = await pool.query(
      'SELECT id, status, total_cents, created_at FROM orders WHERE customer_email = $1 AND status = $2 ORDER BY created_at DESC LIMIT $3',
      [args.email, args.status, args.limit],
    );
    return rows;
  },
};

export async function answer(question: string) {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: 'You answer order questions. Use find_orders to look orders up.' },
      { role: 'user', content: question },
    ],
    tools: [
      {
        type: 'function',
        function: {
          name: 'find_orders',
          description: 'Find orders of a customer by status.',
          parameters: {
            type: 'object',
            properties: { email: { type: 'string' }, status: { type: 'string' }, limit: { type: 'integer' } },
            required: ['email', 'status', 'limit'],
          },
        },
      },
    ],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (!call || call.type !== 'function') return completion.choices[0].message.content;
  return handlers[call.function.name](JSON.parse(call.function.arguments) as Args);
}
