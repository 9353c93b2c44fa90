// Warms the local model cache before the triage worker starts (`npm run models:warm`):
// the sentence-embedding model used to spot duplicate tickets and the sentiment classifier
// that flags angry customers for a faster first reply. Runs on the worker host, on CPU.
import { env, pipeline } from '@huggingface/transformers';

env.cacheDir = process.env.MODEL_CACHE_DIR ?? './.cache/models';

// Unsafe: no `revision`, so this downloads whatever the model repository's `main` branch holds
// today. A new push (or a compromised account) silently changes the weights the worker runs.
// wirecheck-expect: unpinned-model
const embedder = await pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2', { dtype: 'fp32' });

// Fine: pinned to a full 40-hex commit of the model repository (illustrative here: use the commit
// you reviewed); bumping it is a reviewed change.
// wirecheck-ok: unpinned-model
const sentiment = await pipeline('text-classification', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english', {
  revision: '3a6e9c2b4f1d8e07c5b9a2d4e6f8a0c1b3d5e7f9',
  dtype: 'q8',
});

// Smoke test, so a broken download fails here instead of in the worker.
const vectors = await embedder(['My parcel never arrived'], { pooling: 'mean', normalize: true });
const [mood] = await sentiment('This is the third time I am asking. Fix it now.');
console.log(`embedding dims: ${vectors.dims.join('x')}, sentiment: ${mood.label} (${mood.score.toFixed(2)})`);
