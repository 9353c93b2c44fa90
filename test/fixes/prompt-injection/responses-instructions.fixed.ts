// Express route on the Responses API: the audience from the URL is spliced into the instructions.
import express from 'express';
import OpenAI from 'openai';

const router = express.Router();
const client = new OpenAI();

router.get('/explain/:audience', async (req, res) => {
  const response = await client.responses.create({
    model: 'gpt-4.1-mini',
    instructions: `Explain the topic for this audience: <audience>. Use at most 150 words.`,
    input: [{ role: 'user', content: `<audience>\n${req.params.audience}\n</audience>` }, { role: 'user', content: String(req.query.topic ?? '') }],
  });
  res.json({ answer: response.output_text });
});

export default router;
