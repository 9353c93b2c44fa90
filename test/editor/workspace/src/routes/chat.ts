// POST /chat: the help-center widget. The embed snippet sends the shop's persona with each message.
import { Router } from 'express';
import OpenAI from 'openai';

const openai = new OpenAI();
export const chatRouter = Router();

chatRouter.post('/chat', async (req, res) => {
  const { persona, message } = req.body as { persona: string; message: string };
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: `You are ${persona}, a support agent for Acme. Answer briefly.` },
      { role: 'user', content: message },
    ],
  });
  res.json({ reply: completion.choices[0]?.message.content ?? '' });
});
