import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import path from 'node:path';
import { env, pipeline, Tensor, type TextClassificationPipeline } from '@xenova/transformers';
import type { LabelScore, TextClassifier } from './classifier.js';
import { assertModelDir, hashModelFiles, ModelDirError, versionOfHashes } from './model-dir.js';
import type { ScoreTable } from './score-table.js';
import { createWordEncoder, type WordEncoder, type WordTokenizer } from './word-encoder.js';

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

/** A batch is padded to its longest text: keep batch size × longest length (in tokens) bounded. */
export const MAX_BATCH_TEXTS = 256;
const MAX_BATCH_TOKENS = 16_384;
/**
 * Padding a batch may carry, in tokens, before a new batch starts. A padded token costs the graph
 * about as much as a real one, a run about as much as a few hundred tokens: one batch of 200 texts
 * of 5 to 300 words was mostly padding.
 */
const MAX_BATCH_PADDING = 512;

/** Indices of the texts, grouped into batches of similar length (shortest first). */
export function lengthChunks(texts: readonly string[]): number[][] {
  // words plus [CLS] and [SEP]: about the length the tokenizer makes of segmented text
  return chunksByLength(texts.map((t) => t.split(' ').length + 2));
}

/** Indices of items of the given lengths, grouped into batches of similar length (shortest first). */
export function chunksByLength(lengths: readonly number[]): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]!);
  const chunks: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  for (const i of order) {
    // sorted by length: the item being added is the longest of its batch
    const longest = lengths[i]!;
    const padded = (current.length + 1) * longest;
    if (
      current.length > 0 &&
      (current.length >= MAX_BATCH_TEXTS ||
        padded > MAX_BATCH_TOKENS ||
        padded - tokens - longest > MAX_BATCH_PADDING)
    ) {
      chunks.push(current);
      current = [];
      tokens = 0;
    }
    current.push(i);
    tokens += longest;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

interface ModelConfig {
  id2label?: Record<string, string>;
  problem_type?: string;
  voc_classifier?: { kind?: string };
}

interface DirectParts {
  tokenizer: WordTokenizer &
    ((texts: string[], options: { padding: boolean; truncation: boolean }) => unknown);
  model: ((inputs: unknown) => Promise<{ logits: { dims: number[]; data: Float32Array } }>) & {
    config?: ModelConfig;
    session: OrtSession;
  };
}

/** The onnxruntime InferenceSession transformers.js made; its class has the static `create`. */
interface OrtSession {
  constructor: {
    create(model: Uint8Array, options: Record<string, unknown>): Promise<OrtSession>;
  };
}

/**
 * Replaces the session transformers.js created (onnxruntime's defaults: a thread pool as large as
 * the machine, whose threads spin between runs) by one that runs on the calling thread. The
 * analysis pool already runs one engine per core; a second pool per engine only competes with the
 * others for the same cores, and on a busy machine the spinning threads slowed the model fivefold.
 */
async function singleThreaded(model: DirectParts['model'], modelDir: string): Promise<void> {
  const bytes = await readFile(path.join(modelDir, 'onnx/model.onnx'));
  // after the read: libuv's thread pool exists by now, so only the session's threads are new below
  const before = threadIds();
  model.session = await model.session.constructor.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  lowerPriority(before);
}

/** The process's thread ids (Linux), or undefined where /proc does not list them. */
function threadIds(): Set<string> | undefined {
  try {
    return new Set(readdirSync('/proc/self/task'));
  } catch {
    return undefined;
  }
}

/**
 * Even with one intra-op thread, onnxruntime-node 1.14 starts a thread with each session that
 * busy-waits after every run (about 40% of a core while the service scores); its binding cannot set
 * `session.intra_op.allow_spinning`. The runs do not need it (on a busy machine they took half as
 * long with it at the lowest priority), but when the cores are busy it takes turns with the analysis
 * thread itself: rules + model ran about half as fast while another session's tuning scored on the
 * same machine (docs/CLASSIFIER.md, Speed). The threads the session started therefore run at the
 * lowest priority, where they only use a core nobody else wants. Outputs do not change; where
 * threads cannot be listed or reprioritised, nothing is done.
 */
function lowerPriority(before: Set<string> | undefined): void {
  if (!before) return;
  for (const id of threadIds() ?? []) {
    if (before.has(id)) continue;
    try {
      setPriority(Number(id), 19);
    } catch {
      // not permitted here: the thread keeps its priority
    }
  }
}

/**
 * The padded int64 input tensors of token id rows (right padding, as the tokenizer pads). Written
 * through an Int32Array over the same memory (little-endian, ids are small and non-negative): a
 * BigInt per token was a heap allocation per token.
 */
function inputTensors(ids: readonly (readonly number[])[], padId: number): Record<string, Tensor> {
  const width = ids.reduce((w, row) => Math.max(w, row.length), 0);
  const inputIds = new BigInt64Array(ids.length * width);
  const mask = new BigInt64Array(ids.length * width);
  const ids32 = new Int32Array(inputIds.buffer);
  const mask32 = new Int32Array(mask.buffer);
  ids.forEach((row, r) => {
    const base = r * width;
    for (let k = 0; k < width; k++) {
      ids32[2 * (base + k)] = k < row.length ? row[k]! : padId;
      if (k < row.length) mask32[2 * (base + k)] = 1;
    }
  });
  return {
    input_ids: new Tensor('int64', inputIds, [ids.length, width]),
    attention_mask: new Tensor('int64', mask, [ids.length, width]),
  };
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
  await singleThreaded(model, modelDir);
  const config = model.config ?? {};
  // Without id2label the labels are LABEL_<i>, as many as the graph's outputs.
  const width = config.id2label
    ? Object.keys(config.id2label).length
    : (await model(tokenizer([''], { padding: true, truncation: true }))).logits.dims[1]!;
  const labels = Array.from({ length: width }, (_, l) => config.id2label?.[l] ?? `LABEL_${l}`);
  const multiLabel = config.problem_type === 'multi_label_classification';
  // Only the fastText export's tokenizer is known to treat space-separated words independently.
  const words: WordEncoder | undefined =
    config.voc_classifier?.kind === 'fasttext-bag-of-features' ? createWordEncoder(tokenizer) : undefined;

  /** Batches of token id rows of similar length and their model inputs. */
  const idBatches = function* (
    ids: readonly (readonly number[])[],
    padId: number,
  ): Generator<{ chunk: number[]; inputs: unknown }> {
    for (const chunk of chunksByLength(ids.map((x) => x.length)))
      yield {
        chunk,
        inputs: inputTensors(
          chunk.map((i) => ids[i]!),
          padId,
        ),
      };
  };

  /** Batches of texts of similar length and their model inputs. */
  const batches = function* (texts: string[]): Generator<{ chunk: number[]; inputs: unknown }> {
    if (words) {
      yield* idBatches(
        texts.map((t) => words.encode(t)),
        words.padId,
      );
    } else {
      for (const chunk of lengthChunks(texts)) {
        const batch = chunk.map((i) => texts[i] ?? '');
        yield { chunk, inputs: tokenizer(batch, { padding: true, truncation: true }) };
      }
    }
  };

  const scoreBatches = async (
    count: number,
    all: Iterable<{ chunk: number[]; inputs: unknown }>,
  ): Promise<ScoreTable> => {
    const L = labels.length;
    const scores = new Float64Array(count * L);
    for (const { chunk, inputs } of all) {
      const { logits } = await model(inputs);
      const [rows, width] = logits.dims as [number, number];
      if (rows !== chunk.length) throw new Error(`the model returned ${rows} rows for ${chunk.length} texts`);
      if (width !== L) throw new Error(`the model returned ${width} scores per text for ${L} labels`);
      const data = logits.data;
      for (let r = 0; r < rows; r++) {
        const at = chunk[r]! * L;
        // read in place: a subarray view per row was an allocation per text
        if (multiLabel) for (let l = 0; l < L; l++) scores[at + l] = sigmoid(data[r * L + l]!);
        else scores.set(softmax(data.subarray(r * L, (r + 1) * L)), at);
      }
    }
    return { labels, scores };
  };
  const scoreTable = (texts: string[]): Promise<ScoreTable> => scoreBatches(texts.length, batches(texts));

  return {
    version,
    scoreTable,
    scoreWordTable: (texts: readonly (readonly string[])[]): Promise<ScoreTable> =>
      words
        ? scoreBatches(
            texts.length,
            idBatches(
              texts.map((t) => words.encodeWords(t)),
              words.padId,
            ),
          )
        : scoreTable(texts.map((t) => t.join(' '))),
    async classify(texts: string[]): Promise<LabelScore[][]> {
      const { scores } = await scoreTable(texts);
      const L = labels.length;
      return texts.map((_, t) =>
        labels.map((label, l) => ({ label, score: scores[t * L + l]! })).sort((a, b) => b.score - a.score),
      );
    },
  };
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
