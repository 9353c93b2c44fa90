// Express search endpoint: GPT turns the question into filters that are spliced into a Postgres query.
import express from 'express';
import OpenAI from 'openai';
import { Pool } from 'pg';

const app = express();
app.use(express.json());

const openai = new OpenAI();
const pool = new Pool({ connectionString: process.env.DATABASE_URL });

app.post('/api/orders/search', async (req, res) => {
  const question: string = req.body.question;
  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    response_format: { type: 'json_object' },
    messages: [
      { role: 'system', content: 'Extract {"customer": string, "status": string} from the question. JSON only.' },
      { role: 'user', content: question },
    ],
  });
  const filters = JSON.parse(completion.choices[0].message.content ?? '{}') as { customer: string; status: string };
  const sql = `SELECT id, status, total_cents FROM orders WHERE customer_name ILIKE '%${filters.customer}%' AND status = '${filters.status}' ORDER BY created_at DESC LIMIT 50`;
  const { rows } = await pool.query(sql);
  res.json({ rows });
});

export default app;
