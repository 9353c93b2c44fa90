// /admin/reports: ad-hoc support metrics for team leads ("how many billing tickets did we solve last week?").
import { Router } from 'express';
import { generateObject, generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { z } from 'zod';
import { pool } from '../lib/db';
import { requireStaff } from '../lib/auth';

export const reportsRouter = Router();
reportsRouter.use(requireStaff);

const REPORTING_SCHEMA = `tickets(id int, subject text, status text, category text, plan text, customer_email text,
        created_at timestamptz, solved_at timestamptz, reopened_count int)
ticket_events(ticket_id int, author text, body text, created_at timestamptz)`;

// POST /admin/reports/ask — text-to-SQL: the model writes the query and the route runs it.
reportsRouter.post('/ask', async (req, res) => {
  const question = String(req.body.question ?? '');

  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    temperature: 0,
    system: `You write one PostgreSQL SELECT statement that answers the team lead's question.
Schema:
${REPORTING_SCHEMA}
Return the SQL only, without code fences.`,
    prompt: question,
  });
  const sql = text.replace(/```(sql)?/g, '').trim();

  // Unsafe: the model's SQL runs with the app's database role. A question (or a ticket body the model
  // read) can turn it into UPDATE, DELETE or a dump of every customer's email address.
  // wirecheck-expect: output-to-sink
  const { rows } = await pool.query(sql);
  res.json({ sql, rows });
});

/** What the model may fill in: enums and a bounded number, never SQL text. */
const TicketReportFilters = z.object({
  category: z.enum(['billing', 'shipping', 'account', 'bug', 'other']),
  status: z.enum(['open', 'pending', 'solved']),
  days: z.number().int().min(1).max(365),
});

// POST /admin/reports/tickets-per-day — the fixed version: fixed SQL, model-extracted filters bound as $n values.
reportsRouter.post('/tickets-per-day', async (req, res) => {
  const question = String(req.body.question ?? '');

  const { object: filters } = await generateObject({
    model: openai('gpt-4.1-mini'),
    system: 'Extract the ticket category, status and the number of days to look back from the question.',
    prompt: question,
    schema: TicketReportFilters,
  });

  // wirecheck-ok: output-to-sink
  const { rows } = await pool.query(
    `SELECT date_trunc('day', created_at) AS day, count(*)::int AS tickets
       FROM tickets
      WHERE category = $1 AND status = $2 AND created_at >= now() - make_interval(days => $3)
      GROUP BY 1
      ORDER BY 1`,
    [filters.category, filters.status, filters.days],
  );
  res.json({ filters, rows });
});
