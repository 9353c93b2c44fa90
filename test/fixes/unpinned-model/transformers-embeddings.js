// Semantic search worker (transformers.js): embedding, reranking and zero-shot models load from the Hub by moving references.
import { AutoModelForSequenceClassification, AutoTokenizer, pipeline } from '@huggingface/transformers';

const EMBED_MODEL = 'Xenova/all-MiniLM-L6-v2';
const RERANKER = 'Xenova/bge-reranker-base';

let embedder;
let tagger;

export async function embed(texts) {
  embedder ??= await pipeline('feature-extraction', EMBED_MODEL, {
    dtype: 'fp32',
    device: 'cpu',
  });
  const output = await embedder(texts, { pooling: 'mean', normalize: true });
  return output.tolist();
}

export async function tag(text, labels) {
  tagger ??= await pipeline('zero-shot-classification', 'Xenova/mobilebert-uncased-mnli', { revision: 'main', dtype: 'q8' });
  return tagger(text, labels, { multi_label: true });
}

export async function loadReranker() {
  const tokenizer = await AutoTokenizer.from_pretrained(RERANKER);
  const model = await AutoModelForSequenceClassification.from_pretrained(RERANKER, { dtype: 'q8' });
  return { tokenizer, model };
}
