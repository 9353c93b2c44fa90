// Entity extraction job: the model and its revision come from the environment, with defaults for local runs.
import { pipeline } from '@huggingface/transformers';

const NER_MODEL = process.env.NER_MODEL ?? 'Xenova/bert-base-NER';
const NER_REVISION = process.env.NER_MODEL_REVISION ?? '5d3a1c0e9b7f24680ace13579bdf02468ace1357';

let ner;

export async function extractEntities(text) {
  ner ??= await pipeline('token-classification', NER_MODEL, {
    revision: NER_REVISION,
  });
  const tokens = await ner(text, { ignore_labels: ['O'] });
  return tokens.map((t) => ({ entity: t.entity, word: t.word, score: t.score }));
}
