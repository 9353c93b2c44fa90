// Greeting-card service: the project already uses @openai/guardrails elsewhere; this client does not.
import express from 'express';
import { GuardrailsOpenAI } from '@openai/guardrails';

const openai = await GuardrailsOpenAI.create({ version: 1, input: { version: 1, guardrails: [{ name: 'Jailbreak', config: { model: 'gpt-4.1-mini', confidence_threshold: 0.7 } }] } }, { maxRetries: 2 });
export const app = express();
app.use(express.json());

app.post('/card', async (req, res) => {
  const { recipient, occasion } = req.body as { recipient: string; occasion: string };
  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: `Write a warm greeting card message for ${recipient}.` },
      { role: 'user', content: `Occasion: ${occasion}` },
    ],
  });
  res.json({ message: completion.choices[0]?.message.content });
});
