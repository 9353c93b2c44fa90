// /replies: reply drafts and suggestions for human agents in the help desk (Anthropic Messages API).
import { Router } from 'express';
import type Anthropic from '@anthropic-ai/sdk';
import { anthropic, CLAUDE_MODEL } from '../llm/clients';
import { ReplySuggestionRequest } from '../lib/validation';

export const repliesRouter = Router();

function textOf(content: Anthropic.ContentBlock[]): string {
  return content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

// POST /replies/draft?tone=warm%20but%20firm — the help desk sidebar has a free-text "tone" box.
repliesRouter.post('/draft', async (req, res) => {
  const tone = String(req.query.tone ?? 'friendly').trim().toLowerCase();
  const { customerMessage } = req.body as { customerMessage: string };

  const draft = await anthropic.messages.create({
    model: CLAUDE_MODEL,
    max_tokens: 800,
    // Unsafe: the query-string tone goes into `system`; trim() and toLowerCase() do not sanitize it.
    // wirecheck-expect: prompt-injection
    system: `You draft email replies for Acme support agents. Write in a ${tone} tone and sign off as "The Acme team".`,
    messages: [{ role: 'user', content: customerMessage }],
  });

  res.json({ draft: textOf(draft.content) });
});

// POST /replies/suggestions — the fixed version: the tone is a z.enum, so only four constants reach `system`.
repliesRouter.post('/suggestions', async (req, res) => {
  const parsed = ReplySuggestionRequest.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: parsed.error.flatten() });
    return;
  }
  const { tone, customerMessage } = parsed.data;

  const message = await anthropic.messages.create({
    model: CLAUDE_MODEL,
    max_tokens: 600,
    // wirecheck-ok: prompt-injection
    system: `Suggest three short replies to the customer's message in a ${tone} tone. Number them 1-3.`,
    messages: [{ role: 'user', content: `<customer_message>\n${customerMessage}\n</customer_message>` }],
  });

  res.json({ suggestions: textOf(message.content) });
});
