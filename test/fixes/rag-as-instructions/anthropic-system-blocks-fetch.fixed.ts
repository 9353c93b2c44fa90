// Vendor status assistant: the fetched status page becomes a system text block.
import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

export async function explainIncident(question: string): Promise<string> {
  const page = await fetch('https://status.vendor.example/api/summary.txt').then((r) => r.text());
  const msg = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 1000,
    system: [
      { type: 'text', text: 'You explain vendor incidents to our support team.' },
      { type: 'text', text: `Current vendor status page:\n<page>` },
    ],
    messages: [{ role: 'user', content: `<page>\n${page}\n</page>` }, { role: 'user', content: question }],
  });
  const first = msg.content[0];
  return first?.type === 'text' ? first.text : '';
}
