// /ops: the on-call ops assistant (staff only, OpenAI Agents SDK).
import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { run, RunState, type RunToolApprovalItem } from '@openai/agents';
import { opsAgent, safeOpsAgent } from '../agents/ops-agent';
import { requireStaff } from '../lib/auth';

export const opsRouter = Router();
opsRouter.use(requireStaff);

// POST /ops/diagnose — the original endpoint: the agent runs any shell command it decides on.
opsRouter.post('/diagnose', async (req, res) => {
  const result = await run(opsAgent, String(req.body.question ?? ''));
  res.json({ answer: result.finalOutput });
});

/** Runs paused for an approval, by id. The serialized run state never leaves the server. */
const pendingRuns = new Map<string, string>();

interface AssistRun {
  interruptions: RunToolApprovalItem[];
  state: { toString(): string };
  finalOutput?: unknown;
}

function sendAssistResult(res: Response, result: AssistRun): void {
  if (result.interruptions.length === 0) {
    res.json({ answer: result.finalOutput });
    return;
  }
  const runId = randomUUID();
  pendingRuns.set(runId, result.state.toString());
  res.json({
    runId,
    pendingApprovals: result.interruptions.map((item) => ({ tool: item.name, arguments: item.arguments })),
  });
}

// POST /ops/assist — the fixed version: log reads are narrow, every shell command waits for the engineer.
opsRouter.post('/assist', async (req, res) => {
  const result = await run(safeOpsAgent, String(req.body.question ?? ''));
  sendAssistResult(res, result);
});

// POST /ops/assist/:runId/decision { "approve": true | false } — the engineer's answer in the dashboard.
opsRouter.post('/assist/:runId/decision', async (req, res) => {
  const serialized = pendingRuns.get(req.params.runId);
  if (serialized === undefined) {
    res.status(404).json({ error: 'no pending run with that id' });
    return;
  }
  pendingRuns.delete(req.params.runId);

  const state = await RunState.fromString(safeOpsAgent, serialized);
  for (const item of state.getInterruptions()) {
    if (req.body.approve === true) state.approve(item);
    else state.reject(item);
  }
  const result = await run(safeOpsAgent, state);
  sendAssistResult(res, result);
});
