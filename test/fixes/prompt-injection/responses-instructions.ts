// Express route on the Responses API: the audience from the URL is spliced into the instructions.
import express from 'express';
import OpenAI from 'openai';

const router = express.Router();
const client = new OpenAI();

router.get('/explain/:audience', async (req, res) => {
  const response = await client.responses.create({
    model: 'gpt-4.1-mini',
    instructions: 'Explain the topic for this audience: ' + req.params.audience + '. Use at most 150 words.',
    input: String(req.query.topic ?? ''),
  });
  res.json({ answer: response.output_text });
});

export default router;
