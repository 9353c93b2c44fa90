// Model cache helper: fetches ONNX weights and the tokenizer from `/resolve/main/` URLs and writes them to disk.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

const REPO = 'Xenova/all-MiniLM-L6-v2';
const TOKENIZER_URL = 'https://huggingface.co/Xenova/gte-small/resolve/main/tokenizer.json';
const CACHE_DIR = path.resolve(process.env.MODEL_CACHE ?? '.models');

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

export async function ensureModelFile(file: string): Promise<string> {
  const target = path.join(CACHE_DIR, REPO, file);
  if (await exists(target)) return target;
  const res = await fetch(`https://huggingface.co/${REPO}/resolve/main/${file}`, {
    headers: process.env.HF_TOKEN ? { Authorization: `Bearer ${process.env.HF_TOKEN}` } : {},
  });
  if (!res.ok) throw new Error(`download failed: ${res.status} ${res.statusText}`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, Buffer.from(await res.arrayBuffer()));
  return target;
}

export async function refreshTokenizer(target: string): Promise<void> {
  const res = await fetch(TOKENIZER_URL);
  const bytes = Buffer.from(await res.arrayBuffer());
  await writeFile(target, bytes);
}
