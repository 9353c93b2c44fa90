// Next.js server components: an AI SDK summary and AI-written HTML highlights are injected with dangerouslySetInnerHTML.
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';

export async function SummaryCard({ article }) {
  const { text: summary } = await generateText({
    model: openai('gpt-4.1-mini'),
    system: 'Summarise the article in two sentences.',
    prompt: article.body,
  });
  return (
    <section className="summary">
      <h2>{article.title}</h2>
      <p dangerouslySetInnerHTML={{ __html: summary }} />
    </section>
  );
}

export async function Highlights({ article }) {
  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    system: 'List the three key points of the article as an HTML <ul>.',
    prompt: article.body,
  });
  return <div className="highlights" dangerouslySetInnerHTML={{ __html: `<h3>Highlights</h3>${text}` }} />;
}
