// POST /chat: the storefront chat widget (OpenAI Chat Completions).
import { Router } from 'express';
import { GuardrailTripwireTriggered } from '@openai/guardrails';
import { CHAT_MODEL, guardedOpenAI, openai } from '../llm/clients';
import { buildPersonaPrompt } from '../llm/prompts';
import { SUPPORTED_LANGUAGES } from '../lib/validation';

export const chatRouter = Router();

interface ChatBody {
  persona?: string;
  language?: string;
  message: string;
}

// The widget's embed snippet sends the shop's persona and language with every message.
chatRouter.post('/', async (req, res) => {
  const { persona = 'Acme Assistant', language = 'English', message } = req.body as ChatBody;
  if (!SUPPORTED_LANGUAGES.includes(language)) {
    res.status(400).json({ error: `language must be one of: ${SUPPORTED_LANGUAGES.join(', ')}` });
    return;
  }

  const completion = await openai.chat.completions.create({
    model: CHAT_MODEL,
    messages: [
      // Unsafe: `persona` is free text from the request body; the helper copies it into the system prompt.
      // wirecheck-expect: prompt-injection
      { role: 'system', content: buildPersonaPrompt(persona) },
      // Fine: `language` passed the allowlist check above (400 otherwise).
      // wirecheck-ok: prompt-injection
      { role: 'system', content: `Always answer in ${language}.` },
      { role: 'user', content: message },
    ],
  });

  res.json({ reply: completion.choices[0]?.message.content ?? '' });
});

// Same widget behind the guardrails client: jailbreak and moderation checks run on the whole
// request (persona included) and block it before the model is called.
chatRouter.post('/guarded', async (req, res) => {
  const { persona = 'Acme Assistant', message } = req.body as ChatBody;

  try {
    const completion = await guardedOpenAI.chat.completions.create({
      model: CHAT_MODEL,
      messages: [
        // wirecheck-ok: prompt-injection
        { role: 'system', content: buildPersonaPrompt(persona) },
        { role: 'user', content: message },
      ],
    });
    res.json({ reply: completion.choices[0]?.message.content ?? '' });
  } catch (err) {
    if (err instanceof GuardrailTripwireTriggered) {
      res.status(400).json({ error: 'Your message was blocked by our safety checks.' });
      return;
    }
    throw err;
  }
});
