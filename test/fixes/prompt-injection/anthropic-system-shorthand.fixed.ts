// Koa-style handler: the caller picks the writing style through the query string.
import Anthropic from '@anthropic-ai/sdk';
import type { Request, Response } from 'express';

const anthropic = new Anthropic();

export async function rewrite(req: Request, res: Response) {
  const style = String(req.query.style ?? 'plain');
  const system = `Rewrite the user's text in a <style> style. Never add new facts.`;
  const msg = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 800,
    system,
    messages: [{ role: 'user', content: `<style>\n${style}\n</style>` }, { role: 'user', content: String(req.body.text) }],
  });
  const first = msg.content[0];
  res.json({ text: first?.type === 'text' ? first.text : '' });
}
