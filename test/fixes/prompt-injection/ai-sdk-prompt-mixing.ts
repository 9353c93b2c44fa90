// Next.js server action: the moderation policy and the user's comment are glued into one prompt.
'use server';
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';

const POLICY = 'You moderate comments for a cooking forum. Reply ALLOW or BLOCK and one short reason.\n\nComment:\n';

export async function moderate(form: FormData) {
  const comment = String(form.get('comment') ?? '');
  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    prompt: POLICY + comment,
  });
  return text;
}
