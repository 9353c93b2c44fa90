// Ollama bootstrap for a local RAG app: pulls the chat and embedding models before the server starts.
import ollama from 'ollama';

const CHAT_MODEL = 'llama3.1';
const EMBED_MODEL = 'nomic-embed-text:latest';

export async function bootstrap(log: (msg: string) => void = console.log): Promise<void> {
  const { models } = await ollama.list();
  const present = new Set(models.map((m) => m.name));
  if (!models.some((m) => m.name.startsWith(`${CHAT_MODEL}:`))) {
    log(`pulling ${CHAT_MODEL}`);
    await ollama.pull({ model: CHAT_MODEL });
  }
  if (!present.has(EMBED_MODEL)) {
    const stream = await ollama.pull({ model: EMBED_MODEL, stream: true });
    for await (const part of stream) log(`${EMBED_MODEL}: ${part.status}`);
  }
}

export async function answer(question: string, context: string): Promise<string> {
  const res = await ollama.chat({
    model: CHAT_MODEL,
    messages: [
      { role: 'system', content: 'Answer from the context in the next message.' },
      { role: 'user', content: `${context}\n\nQuestion: ${question}` },
    ],
  });
  return res.message.content;
}
