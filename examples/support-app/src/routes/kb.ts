// /kb: answers from the help-center knowledge base (LangChain retrieval, AI SDK, Agents SDK).
import { Router } from 'express';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatOpenAI } from '@langchain/openai';
import { generateText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { run } from '@openai/agents';
import { formatArticles, searchKnowledgeBase } from '../rag/knowledge-base';
import { SUPPORT_SYSTEM_PROMPT } from '../llm/prompts';
import { articleAgent, helpCenterAgent } from '../agents/help-center-agent';

export const kbRouter = Router();

const answerPrompt = ChatPromptTemplate.fromMessages([
  [
    'system',
    // Unsafe: the retrieved knowledge-base chunks fill {articles} inside the system template.
    // wirecheck-expect: rag-as-instructions
    'You are the Acme support assistant. Answer using the help-center articles below and cite them as [n].\n\nArticles:\n{articles}',
  ],
  ['human', '{question}'],
]);

const answerChain = answerPrompt
  .pipe(new ChatOpenAI({ model: 'gpt-4.1-mini', temperature: 0 }))
  .pipe(new StringOutputParser());

// POST /kb/answer — the original RAG endpoint.
kbRouter.post('/answer', async (req, res) => {
  const question = String(req.body.question ?? '');
  const docs = await searchKnowledgeBase(question);

  const answer = await answerChain.invoke({ articles: formatArticles(docs), question });
  res.json({ answer, sources: docs.map((d) => d.metadata.url) });
});

// POST /kb/ask — the fixed version: bundled system prompt, retrieved articles in a user turn.
kbRouter.post('/ask', async (req, res) => {
  const question = String(req.body.question ?? '');
  const docs = await searchKnowledgeBase(question);

  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    // wirecheck-ok: rag-as-instructions
    system: SUPPORT_SYSTEM_PROMPT,
    messages: [
      // wirecheck-ok: rag-as-instructions
      { role: 'user', content: `<articles>\n${formatArticles(docs)}\n</articles>` },
      { role: 'user', content: question },
    ],
  });
  res.json({ answer: text, sources: docs.map((d) => d.metadata.url) });
});

const REFUND_POLICY = `You are Acme's refund policy checker.
Refunds are possible within 30 days of delivery for unused items with the original receipt.
Digital goods and gift cards are never refundable.
Answer "eligible", "not eligible" or "needs review", followed by one sentence explaining why.

Customer's situation: `;

// POST /kb/refund-check — one prompt string: policy text followed by whatever the customer wrote.
kbRouter.post('/refund-check', async (req, res) => {
  const situation = String(req.body.situation ?? '');

  const { text } = await generateText({
    model: openai('gpt-4.1-mini'),
    // Unsafe: no `system`; the customer's text is appended to the policy instructions.
    // wirecheck-expect: prompt-injection
    prompt: REFUND_POLICY + situation,
  });
  res.json({ verdict: text });
});

// POST /kb/articles/:slug/ask — "Ask about this article" (fetched page in the agent's instructions).
kbRouter.post('/articles/:slug/ask', async (req, res) => {
  const result = await run(articleAgent, String(req.body.question ?? ''), {
    context: { articleSlug: req.params.slug },
  });
  res.json({ answer: result.finalOutput });
});

// POST /kb/assistant — the fixed version: the agent reads articles through a tool.
kbRouter.post('/assistant', async (req, res) => {
  const result = await run(helpCenterAgent, String(req.body.question ?? ''));
  res.json({ answer: result.finalOutput });
});
