// RAG endpoint: knowledge-base chunks from the vector store are pasted into the system prompt.
import express from 'express';
import OpenAI from 'openai';
import type { VectorStore } from '@langchain/core/vectorstores';

const openai = new OpenAI();

export function askRouter(store: VectorStore) {
  const router = express.Router();
  router.post('/ask', async (req, res) => {
    const question = String(req.body.question);
    const docs = await store.similaritySearch(question, 4);
    const context = docs.map((d) => d.pageContent).join('\n---\n');
    const completion = await openai.chat.completions.create({
      model: 'gpt-4.1-mini',
      messages: [
        {
          role: 'system',
          content: `Answer using the knowledge base.
Knowledge base:
<context>`,
        },
        { role: 'user', content: `<context>\n${context}\n</context>` },
        { role: 'user', content: question },
      ],
    });
    res.json({ answer: completion.choices[0]?.message.content });
  });
  return router;
}
