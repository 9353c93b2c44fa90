// POST /escalate: summarises a conversation for the team that takes it over.
import { Router } from 'express';
import OpenAI from 'openai';
import { escalationPrompt } from '../lib/prompts.js';

const openai = new OpenAI();
export const escalateRouter = Router();

escalateRouter.post('/escalate', async (req, res) => {
  const { team, transcript } = req.body as { team: string; transcript: string };
  const response = await openai.responses.create({
    model: 'gpt-4.1-mini',
    instructions: escalationPrompt(team),
    input: transcript,
  });
  res.json({ note: response.output_text });
});
