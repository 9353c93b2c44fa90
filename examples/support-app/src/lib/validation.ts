// Request schemas and allowlists shared by the route handlers.
import { z } from 'zod';

export const REPLY_TONES = ['friendly', 'formal', 'concise', 'apologetic'] as const;

/** Body of POST /replies/suggestions: the tone is validated against a fixed list. */
export const ReplySuggestionRequest = z.object({
  tone: z.enum(REPLY_TONES),
  customerMessage: z.string().min(1).max(8000),
});
export type ReplySuggestionRequest = z.infer<typeof ReplySuggestionRequest>;

/** Languages the support team can review; anything else is rejected with a 400. */
export const SUPPORTED_LANGUAGES: readonly string[] = ['English', 'German', 'French', 'Spanish', 'Dutch'];

export function parseTicketId(raw: unknown): number | null {
  const id = Number(raw);
  return Number.isInteger(id) && id > 0 ? id : null;
}
