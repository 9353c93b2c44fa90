// Shared model clients. API keys come from the environment (OPENAI_API_KEY, ANTHROPIC_API_KEY).
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GuardrailsOpenAI } from '@openai/guardrails';

export const CHAT_MODEL = process.env.CHAT_MODEL ?? 'gpt-4.1-mini';
export const CLAUDE_MODEL = process.env.CLAUDE_MODEL ?? 'claude-haiku-4-5';

export const openai = new OpenAI();
export const anthropic = new Anthropic();

/**
 * Drop-in OpenAI client whose input guardrails (jailbreak + moderation) check every request
 * before it reaches the model; a tripped guardrail throws GuardrailTripwireTriggered.
 */
export const guardedOpenAI = await GuardrailsOpenAI.create(
  {
    version: 1,
    input: {
      version: 1,
      guardrails: [
        { name: 'Jailbreak', config: { model: 'gpt-4.1-mini', confidence_threshold: 0.7 } },
        { name: 'Moderation', config: { categories: ['hate', 'harassment', 'violence', 'self-harm'] } },
      ],
    },
  },
  { apiKey: process.env.OPENAI_API_KEY },
);
