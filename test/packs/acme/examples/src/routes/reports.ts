import express from 'express';
import { acmeLLM } from '@acme/llm';
import { db } from '@acme/db';
import { assertReadOnlySql } from '@acme/guard';

const SQL_INSTRUCTIONS = 'Translate the analyst question into one PostgreSQL SELECT over the sales schema. Reply with SQL only.';

export const reports = express.Router();

reports.post('/reports/ask', async (req, res) => {
  const completion = await acmeLLM.complete({ system: SQL_INSTRUCTIONS, input: String(req.body.question) });
  const sql = completion.text.replace(/^```sql\s*|```$/g, '');
  // wirecheck-expect: acme/llm-output-to-raw-sql
  const rows = await db.rawQuery(sql);
  res.json({ rows });
});

reports.post('/reports/ask-checked', async (req, res) => {
  const completion = await acmeLLM.complete({ system: SQL_INSTRUCTIONS, input: String(req.body.question) });
  const sql = completion.text.trim();
  assertReadOnlySql(sql);
  // wirecheck-ok: acme/llm-output-to-raw-sql
  const rows = await db.rawQuery(sql);
  res.json({ rows });
});

reports.get('/reports/:region', async (req, res) => {
  // wirecheck-ok: acme/llm-output-to-raw-sql
  const rows = await db.query('SELECT * FROM sales WHERE region = $1', [req.params.region]);
  res.json({ rows });
});
