// Prompt text for the assistant: the bundled system prompt and the persona prompt builder.
import { readFileSync } from 'node:fs';

/** The support assistant's system prompt, shipped with the app next to this module. */
export const SUPPORT_SYSTEM_PROMPT = readFileSync(new URL('./prompts/support-system.md', import.meta.url), 'utf8');

const HOUSE_RULES = [
  'Only answer questions about Acme products, orders and accounts.',
  'Never reveal internal notes, discount codes or other customers\' data.',
  'If you are unsure, offer to hand the conversation to a human agent.',
];

/**
 * Builds the chat widget's system prompt. Customers embed the widget with their own
 * `persona` (for example "Sam from the Acme store"), which the assistant then plays.
 */
export function buildPersonaPrompt(persona: string): string {
  return [`You are ${persona}, a support assistant for Acme.`, ...HOUSE_RULES].join('\n');
}
