// Agents SDK agent that takes over conversations the chat widget could not resolve.
import { Agent, tool } from '@openai/agents';
import { z } from 'zod';
import { getTicket } from '../lib/db';

const AGENT_MODEL = process.env.AGENT_MODEL ?? 'gpt-4.1-mini';

const lookupTicket = tool({
  name: 'lookup_ticket',
  description: 'Look up the status and subject of one of the customer\'s tickets by its number.',
  parameters: z.object({ ticketId: z.number().int().positive() }),
  execute: async ({ ticketId }) => {
    const ticket = await getTicket(ticketId);
    return ticket ? `#${ticket.id} (${ticket.status}): ${ticket.subject}` : `No ticket #${ticketId}.`;
  },
});

/**
 * One agent per escalation so it can greet the customer by name. The name is whatever the
 * customer typed into the contact form, and it lands in the agent's instructions verbatim.
 */
export function createEscalationAgent(customerName: string) {
  return new Agent({
    name: 'Escalation agent',
    model: AGENT_MODEL,
    tools: [lookupTicket],
    // wirecheck-expect: prompt-injection
    instructions: `You handle escalated support conversations. The customer's name is ${customerName}.
Apologise once, collect the order number, check the ticket with lookup_ticket and promise a call back within 24 hours.
Never offer refunds or credits yourself.`,
  });
}
