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

/** A batch is padded to its longest text: keep batch size × longest length (in words) bounded. */
export const MAX_BATCH_TEXTS = 256;
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
 * pipeline, remote models disabled. Works for the fastText export of pipelines/train-utterance-model.ts
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
  // The pipeline's own post-processing (softmax or sigmoid, then a sort and object per label) costs
  // more than the model on short texts; tokenizer and model are called directly instead, with the
  // same activation the pipeline applies (sigmoid for multi-label models, softmax otherwise).
  const { tokenizer, model } = classifier as unknown as DirectParts;
  const config =
    (model as { config?: { id2label?: Record<string, string>; problem_type?: string } }).config ?? {};
  const id2label = config.id2label ?? {};
  const multiLabel = config.problem_type === 'multi_label_classification';
  return {
    version,
    async classify(texts: string[]): Promise<LabelScore[][]> {
      const out = new Array<LabelScore[]>(texts.length);
      for (const chunk of lengthChunks(texts)) {
        const inputs = tokenizer(
          chunk.map((i) => texts[i] ?? ''),
          { padding: true, truncation: true },
        );
        const { logits } = await model(inputs);
        const [rows, labels] = logits.dims as [number, number];
        if (rows !== chunk.length)
          throw new Error(`the model returned ${rows} rows for ${chunk.length} texts`);
        const data = logits.data as Float32Array;
        for (let r = 0; r < rows; r++) {
          const row = data.subarray(r * labels, (r + 1) * labels);
          const probs = multiLabel ? Array.from(row, sigmoid) : softmax(row);
          const scores = probs.map((score, l) => ({ label: id2label[l] ?? `LABEL_${l}`, score }));
          out[chunk[r] ?? 0] = scores.sort((a, b) => b.score - a.score);
        }
      }
      return out;
    },
  };
}

interface DirectParts {
  tokenizer: (texts: string[], options: { padding: boolean; truncation: boolean }) => unknown;
  model: (inputs: unknown) => Promise<{ logits: { dims: number[]; data: Float32Array } }>;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softmax(row: Float32Array): number[] {
  const max = Math.max(...row);
  const exps = Array.from(row, (x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
