// Postgres access for tickets and their conversation history.
import { Pool } from 'pg';

export const pool = new Pool({
  connectionString: process.env.DATABASE_URL ?? 'postgres://localhost:5432/acme_support',
  max: 10,
});

export interface Ticket {
  id: number;
  subject: string;
  status: 'open' | 'pending' | 'solved';
  customer_email: string;
  plan: string;
}

export interface TicketEvent {
  author: 'customer' | 'agent' | 'system';
  body: string;
  created_at: Date;
}

export async function getTicket(ticketId: number): Promise<Ticket | null> {
  const { rows } = await pool.query<Ticket>(
    'SELECT id, subject, status, customer_email, plan FROM tickets WHERE id = $1',
    [ticketId],
  );
  return rows[0] ?? null;
}

/** Every customer and agent message on the ticket, oldest first. */
export async function getTicketHistory(ticketId: number, limit = 50): Promise<TicketEvent[]> {
  const { rows } = await pool.query<TicketEvent>(
    `SELECT author, body, created_at
       FROM ticket_events
      WHERE ticket_id = $1
      ORDER BY created_at
      LIMIT $2`,
    [ticketId, limit],
  );
  return rows;
}

export function formatHistory(events: TicketEvent[]): string {
  return events.map((e) => `[${e.created_at.toISOString()}] ${e.author}: ${e.body}`).join('\n');
}

export async function saveTicketSummary(ticketId: number, summary: string): Promise<void> {
  await pool.query('UPDATE tickets SET ai_summary = $2, ai_summary_at = now() WHERE id = $1', [ticketId, summary]);
}
