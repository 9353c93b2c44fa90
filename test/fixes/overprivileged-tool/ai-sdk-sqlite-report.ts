// Local analytics assistant: the AI SDK tool reads events from SQLite with the model's filters spliced into the SQL.
import Database from 'better-sqlite3';
import { openai } from '@ai-sdk/openai';
import { generateText, stepCountIs, tool } from 'ai';
import { z } from 'zod';

const db = new Database(process.env.EVENTS_DB ?? 'events.db', { readonly: true });

const countEvents = tool({
  description: 'Count events of one type since a date.',
  inputSchema: z.object({ type: z.string(), since: z.string().describe('ISO date') }),
  execute: async ({ type, since }) => {
    const row = db.prepare(`SELECT COUNT(*) AS n FROM events WHERE type = '${type}' AND created_at >= '${since}'`).get();
    return row;
  },
});

export async function ask(question: string) {
  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    system: 'Answer questions about product usage with count_events.',
    prompt: question,
    tools: { count_events: countEvents },
    stopWhen: stepCountIs(4),
  });
  return text;
}
