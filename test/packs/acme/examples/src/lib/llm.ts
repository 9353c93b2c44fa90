import { acmeLLM } from '@acme/llm';

export interface AskOptions {
  instructions: string;
  question: string;
  model?: string;
}

/** The app's one way to call the model: the gateway with Acme's defaults. */
export async function askModel({ instructions, question, model = 'acme-large-2' }: AskOptions): Promise<string> {
  const completion = await acmeLLM.complete({ system: instructions, input: question, model, temperature: 0.2 });
  return completion.text.trim();
}
