// Desktop assistant on node-llama-cpp: GGUF models resolved from `hf:` URIs on the default branch.
import { createModelDownloader, getLlama, LlamaChatSession, resolveModelFile } from 'node-llama-cpp';

const CHAT_MODEL_URI = 'hf:bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-Q4_K_M.gguf#5d3a1c0e9b7f24680ace13579bdf02468ace1357';
const EMBED_MODEL_URI = 'hf:nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q8_0.gguf#5d3a1c0e9b7f24680ace13579bdf02468ace1357';

export async function startAssistant(directory) {
  const modelPath = await resolveModelFile(CHAT_MODEL_URI, { directory });
  const llama = await getLlama();
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext();
  return new LlamaChatSession({ contextSequence: context.getSequence() });
}

export async function downloadEmbedder(dirPath) {
  const downloader = await createModelDownloader({ modelUri: EMBED_MODEL_URI, dirPath });
  return downloader.download();
}
