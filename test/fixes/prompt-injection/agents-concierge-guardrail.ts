// Hotel concierge: each request builds an agent in the guest's chosen persona; a shared runner runs it elsewhere.
import { Agent } from '@openai/agents';
import type { Request } from 'express';

export function conciergeFor(req: Request) {
  const persona = String(req.body.persona ?? 'the front desk');
  const concierge = new Agent({
    name: 'Concierge',
    instructions: `You are ${persona}. Answer questions about the hotel only.`,
    model: 'gpt-4.1-mini',
  });
  return concierge;
}
