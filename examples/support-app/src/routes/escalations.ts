// /escalations: hands a conversation to the escalation agent (OpenAI Agents SDK).
import { Router } from 'express';
import { run } from '@openai/agents';
import { createEscalationAgent } from '../agents/escalation-agent';

export const escalationsRouter = Router();

interface EscalationBody {
  customerName: string;
  orderId?: string;
  message: string;
}

// POST /escalations — the contact form's "Talk to a specialist" button.
escalationsRouter.post('/', async (req, res) => {
  const { customerName, orderId, message } = req.body as EscalationBody;

  // The form's name field goes straight into the agent's instructions (see createEscalationAgent).
  const agent = createEscalationAgent(customerName);
  const input = orderId ? `Order ${orderId}: ${message}` : message;

  const result = await run(agent, input);
  res.json({ reply: result.finalOutput });
});
