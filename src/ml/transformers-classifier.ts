import path from 'node:path';
import { env, pipeline, type TextClassificationPipeline } from '@xenova/transformers';
import type { LabelScore, TextClassifier } from './classifier.js';
import { assertModelDir, hashModelFiles, ModelDirError, versionOfHashes } from './model-dir.js';

/** transformers.js keeps its settings in one global `env`; loads are serialised around it. */
let loading: Promise<unknown> = Promise.resolve();

async function loadPipeline(modelDir: string): Promise<TextClassificationPipeline> {
  const abs = path.resolve(modelDir);
  const run = loading.then(async () => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${path.dirname(abs)}${path.sep}`;
    return (await pipeline('text-classification', path.basename(abs), {
      quantized: false,
      local_files_only: true,
    })) as TextClassificationPipeline;
  });
  loading = run.catch(() => undefined);
  return run;
}

interface RawScore {
  label: string;
  score: number;
}

function isRawScore(v: unknown): v is RawScore {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as RawScore).label === 'string' &&
    typeof (v as RawScore).score === 'number'
  );
}

/** The pipeline returns one list per text for a batch; normalise and check the shape. */
function toLabelScores(output: unknown, count: number): LabelScore[][] {
  if (!Array.isArray(output) || output.length !== count) {
    throw new Error(
      `text-classification returned ${Array.isArray(output) ? output.length : typeof output} results for ${count} texts`,
    );
  }
  return output.map((row: unknown) => {
    const list: unknown[] = Array.isArray(row) ? row : [row];
    return list.map((s) => {
      if (!isRawScore(s)) throw new Error('text-classification returned an unexpected score shape');
      return { label: s.label, score: s.score };
    });
  });
}

/** A batch is padded to its longest text: keep batch size × longest length (in words) bounded. */
const MAX_BATCH_TEXTS = 64;
const MAX_BATCH_WORDS = 16_384;

/** Indices of the texts, grouped into batches of similar length (shortest first). */
export function lengthChunks(texts: readonly string[]): number[][] {
  const words = texts.map((t) => t.split(' ').length + 2);
  const order = texts.map((_, i) => i).sort((a, b) => (words[a] ?? 0) - (words[b] ?? 0));
  const chunks: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    const longest = Math.max(words[i] ?? 0, ...current.map((j) => words[j] ?? 0));
    if (
      current.length > 0 &&
      (current.length >= MAX_BATCH_TEXTS || (current.length + 1) * longest > MAX_BATCH_WORDS)
    ) {
      chunks.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Loads a local Hugging Face-style model directory (config.json, tokenizer.json,
 * tokenizer_config.json, onnx/model.onnx) through the transformers.js text-classification
 * pipeline, remote models disabled. Works for the fastText export of pipelines/train-classifier.ts
 * and for any other sequence-classification model in that layout (e.g. a fine-tuned Chinese BERT
 * exported to ONNX); multi-label models (problem_type multi_label_classification) give sigmoid
 * scores, others softmax.
 */
export async function loadTransformersClassifier(modelDir: string): Promise<TextClassifier> {
  await assertModelDir(modelDir);
  const version = versionOfHashes(await hashModelFiles(modelDir));
  const classifier = await loadPipeline(modelDir).catch((err: unknown) => {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ModelDirError(`Could not load the classifier model in ${modelDir}: ${reason}`, modelDir, [], {
      cause: err,
    });
  });
  return {
    version,
    async classify(texts: string[]): Promise<LabelScore[][]> {
      const out = new Array<LabelScore[]>(texts.length);
      for (const chunk of lengthChunks(texts)) {
        // topk 0 = every label, sorted by score.
        const output: unknown = await classifier(
          chunk.map((i) => texts[i] ?? ''),
          { topk: 0 },
        );
        toLabelScores(output, chunk.length).forEach((row, j) => (out[chunk[j] ?? 0] = row));
      }
      return out;
    },
  };
}
