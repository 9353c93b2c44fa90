// LangChain chat model behind a Fastify route; the brand voice comes from the request body.
import Fastify from 'fastify';
import { ChatOpenAI } from '@langchain/openai';
import { SystemMessage, HumanMessage } from '@langchain/core/messages';

const app = Fastify();
const model = new ChatOpenAI({ model: 'gpt-4.1-mini' });

app.post('/headline', async (request) => {
  const body = request.body as { voice: string; article: string };
  const reply = await model.invoke([
    new SystemMessage(`Write one headline in a <voice> voice. Max 12 words.`),
    new HumanMessage(`<voice>\n${body.voice}\n</voice>`),
    ['human', body.article],
  ]);
  return { headline: reply.content };
});

export default app;
