// Express chat widget: the shop owner's persona arrives with every request and lands in the system prompt.
import express from 'express';
import OpenAI from 'openai';

const app = express();
app.use(express.json());
const openai = new OpenAI();

app.post('/chat', async (req, res) => {
  const { persona, message } = req.body as { persona: string; message: string };
  const completion = await openai.chat.completions.create({
    model: 'gpt-4.1-mini',
    messages: [
      { role: 'system', content: `You are <persona>, a support assistant for our store. Keep answers short.` },
      { role: 'user', content: `<persona>\n${persona}\n</persona>` },
      { role: 'user', content: message },
    ],
  });
  res.json({ reply: completion.choices[0]?.message.content ?? '' });
});

export default app;
