// Local mail assistant: the parsed email body goes into the system message of a local model.
import ollama from 'ollama';
import { simpleParser } from 'mailparser';
import { readFile } from 'node:fs/promises';

export async function draftReply(emlPath: string): Promise<string> {
  const mail = await simpleParser(await readFile(emlPath));
  const body = mail.text ?? '';
  const res = await ollama.chat({
    model: 'llama3.1:8b',
    messages: [
      { role: 'system', content: 'Draft a polite reply to the customer email below.\n\nEMAIL:\n' + body },
      { role: 'user', content: 'Write the reply.' },
    ],
  });
  return res.message.content;
}
