// Setup script: downloads voice-activity-detection weights and a GGUF model with @huggingface/hub.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { downloadFile, snapshotDownload } from '@huggingface/hub';

const VAD_REPO = 'onnx-community/silero-vad';
const OUT_DIR = path.resolve('vendor/models');

export async function fetchVad() {
  const blob = await downloadFile({
    repo: VAD_REPO,
    path: 'onnx/model.onnx',
    accessToken: process.env.HF_TOKEN,
    revision: '5d3a1c0e9b7f24680ace13579bdf02468ace1357',
  });
  if (!blob) throw new Error(`${VAD_REPO}: onnx/model.onnx not found`);
  const target = path.join(OUT_DIR, 'silero-vad.onnx');
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(target, Buffer.from(await blob.arrayBuffer()));
  return target;
}

export async function fetchChatModel() {
  return snapshotDownload({
    repo: { type: 'model', name: 'onnx-community/Qwen2.5-0.5B-Instruct' },
    revision: '5d3a1c0e9b7f24680ace13579bdf02468ace1357',
    cacheDir: path.join(OUT_DIR, 'cache'),
  });
}
