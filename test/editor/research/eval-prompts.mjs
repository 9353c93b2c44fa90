// Offline evaluation of the support prompts against recorded questions.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const client = new OpenAI();
const cases = JSON.parse(readFileSync('cases.json', 'utf8'));

for (const c of cases) {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'Answer as the Acme support assistant. Be brief.' },
      { role: 'user', content: c.question },
    ],
  });
  console.log(c.id, completion.choices[0]?.message.content);
}
