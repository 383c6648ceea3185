import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The files transformers.js 2.17 reads for pipeline('text-classification', ..., { quantized: false }):
 * any local directory with these, in the Hugging Face layout, can be dropped in.
 */
export const REQUIRED_MODEL_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/model.onnx',
] as const;

export class ModelDirError extends Error {
  constructor(
    message: string,
    readonly modelDir: string,
    readonly missing: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ModelDirError';
  }
}

/** Throws a ModelDirError naming every required file the directory lacks. */
export async function assertModelDir(modelDir: string): Promise<void> {
  const dirStat = await stat(modelDir).catch(() => null);
  if (!dirStat?.isDirectory()) {
    throw new ModelDirError(`Classifier model directory not found: ${modelDir}`, modelDir);
  }
  const missing: string[] = [];
  for (const rel of REQUIRED_MODEL_FILES) {
    const ok = await access(path.join(modelDir, rel)).then(
      () => true,
      () => false,
    );
    if (!ok) missing.push(rel);
  }
  if (missing.length > 0) {
    throw new ModelDirError(
      `Classifier model directory ${modelDir} is missing ${missing.join(', ')} ` +
        `(expected the Hugging Face layout: ${REQUIRED_MODEL_FILES.join(', ')})`,
      modelDir,
      missing,
    );
  }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 of each required file, keyed by its path relative to the model directory. */
export async function hashModelFiles(modelDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of REQUIRED_MODEL_FILES) out[rel] = await sha256File(path.join(modelDir, rel));
  return out;
}

/** The model version: first 12 hex digits of sha256 over "path sha256\n" lines of the files. */
export function versionOfHashes(hashes: Record<string, string>): string {
  const lines = Object.keys(hashes)
    .sort()
    .map((rel) => `${rel} ${hashes[rel]}\n`)
    .join('');
  return createHash('sha256').update(lines).digest('hex').slice(0, 12);
}
