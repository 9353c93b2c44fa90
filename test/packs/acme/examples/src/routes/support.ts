import express from 'express';
import { acmeLLM } from '@acme/llm';
import { assertSafePrompt } from '@acme/guard';
import { askModel } from '../lib/llm';
import { searchKnowledgeBase } from '../services/knowledge-base';

const SUPPORT_INSTRUCTIONS = `You are Acme's support assistant. Answer from the articles the user
message provides. If they do not answer the question, say so and offer to open a ticket.`;

export const support = express.Router();

support.post('/support/answer', async (req, res) => {
  const question = String(req.body.question ?? '');
  const articles = await searchKnowledgeBase(question);
  const context = articles.map((a) => `## ${a.title}\n${a.body}`).join('\n\n');
  const completion = await acmeLLM.complete({
    // wirecheck-expect: acme/kb-text-in-gateway-system
    system: `You are Acme's support assistant. Answer using these articles:\n\n${context}`,
    input: question,
  });
  res.json({ answer: completion.text, sources: articles.map((a) => a.url) });
});

support.post('/support/answer-v2', async (req, res) => {
  const question = String(req.body.question ?? '');
  const articles = await searchKnowledgeBase(question);
  const completion = await acmeLLM.complete({
    // wirecheck-ok: acme/kb-text-in-gateway-system
    system: SUPPORT_INSTRUCTIONS,
    input: `Question: ${question}\n\nArticles:\n${articles.map((a) => a.body).join('\n---\n')}`,
  });
  res.json({ answer: completion.text });
});

support.post('/assistant/persona', async (req, res) => {
  const persona = String(req.body.persona);
  const reply = await askModel({
    // wirecheck-expect: acme/request-text-in-gateway-system
    instructions: `You answer in the voice of ${persona}. Keep answers under 100 words.`,
    question: String(req.body.question),
  });
  res.json({ reply });
});

support.post('/assistant/tone', async (req, res) => {
  const tone = String(req.body.tone);
  assertSafePrompt(tone);
  const reply = await askModel({
    // wirecheck-ok: acme/request-text-in-gateway-system
    instructions: `Answer in a ${tone} tone. Keep answers under 100 words.`,
    question: String(req.body.question),
  });
  res.json({ reply });
});

support.post('/assistant/faq', async (req, res) => {
  const articles = await searchKnowledgeBase(String(req.query.topic));
  const reply = await askModel({
    // wirecheck-expect: acme/kb-text-in-gateway-system
    instructions: `Answer only from this FAQ:\n${articles.map((a) => a.body).join('\n')}`,
    question: String(req.body.question),
  });
  res.json({ reply });
});
