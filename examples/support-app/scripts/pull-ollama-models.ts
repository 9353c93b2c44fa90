// Pulls the local Ollama models for the on-prem ticket-export job (`npm run models:pull`): exports
// are redacted by a local model so that no customer data leaves the box, and embedded for search.
import ollama from 'ollama';

const REDACTION_MODEL = 'llama3.1';
const EMBED_MODEL = 'nomic-embed-text:v1.5';

const { models } = await ollama.list();
const present = new Set(models.map((m) => m.name));

if (!present.has(`${REDACTION_MODEL}:latest`)) {
  console.log(`pulling ${REDACTION_MODEL}…`);
  // Unsafe: an untagged name means `:latest`, which moves whenever the library re-tags the model.
  // wirecheck-expect: unpinned-model
  await ollama.pull({ model: REDACTION_MODEL });
}

if (!present.has(EMBED_MODEL)) {
  console.log(`pulling ${EMBED_MODEL}…`);
  // Fine: an explicit version tag.
  // wirecheck-ok: unpinned-model
  const stream = await ollama.pull({ model: EMBED_MODEL, stream: true });
  for await (const part of stream) {
    if (part.status === 'success') console.log(`${EMBED_MODEL} ready`);
  }
}
