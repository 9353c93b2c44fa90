// OpenAI Agents SDK: a per-request agent whose instructions include the caller's goal.
import { Agent, run } from '@openai/agents';
import type { Request, Response } from 'express';

export async function plan(req: Request, res: Response) {
  const goal = String(req.body.goal);
  const planner = new Agent({
    name: 'Planner',
    instructions: `Break the work into at most five steps. The team's goal: ${goal}`,
  });
  const result = await run(planner, String(req.body.context ?? 'No extra context.'));
  res.json({ plan: result.finalOutput });
}
