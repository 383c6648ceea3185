import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastTextParams } from './model.js';
import { buildOnnxModel, GRAPH_FORMAT } from './onnx-export.js';
import { buildTokenizerFiles } from './tokenizer-json.js';

export interface ExportOptions {
  /** Tokens per text the tokenizer keeps (the model itself has no length limit). */
  maxLength: number;
  /** Extra, informative fields for config.json (training data, segmentation, metrics...). */
  info?: Record<string, unknown>;
}

/** Stable JSON: keys in insertion order, two-space indent, trailing newline. */
function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The files of a Hugging Face-style model directory, path → bytes (deterministic). */
export function modelFiles(
  p: FastTextParams,
  vocab: readonly string[],
  opts: ExportOptions,
): Map<string, Uint8Array> {
  const { tokenizer, tokenizerConfig } = buildTokenizerFiles(vocab, opts.maxLength);
  const id2label = Object.fromEntries(p.labels.map((l, i) => [String(i), l]));
  const label2id = Object.fromEntries(p.labels.map((l, i) => [l, i]));
  const config = {
    model_type: 'bert',
    architectures: ['BertForSequenceClassification'],
    problem_type: 'multi_label_classification',
    id2label,
    label2id,
    num_labels: p.labels.length,
    vocab_size: vocab.length,
    hidden_size: p.dim,
    max_position_embeddings: opts.maxLength,
    voc_classifier: {
      kind: 'fasttext-bag-of-features',
      graph: GRAPH_FORMAT,
      note: 'Not a transformer: model_type bert only selects the encoder-only, sequence-classification code path of transformers.js. See docs/CLASSIFIER.md.',
      input:
        'toClassifierText(customer utterances) from src/ml/classifier-input.ts: space-joined jieba tokens',
      embedding_rows: p.embeddings.length / p.dim,
      bigram_buckets: p.bigramBuckets,
      max_features_per_token: p.maxFeatures,
      pooling: p.pooling,
      ...opts.info,
    },
  };
  const enc = new TextEncoder();
  return new Map<string, Uint8Array>([
    ['config.json', enc.encode(json(config))],
    ['tokenizer.json', enc.encode(json(tokenizer))],
    ['tokenizer_config.json', enc.encode(json(tokenizerConfig))],
    ['onnx/model.onnx', buildOnnxModel(p)],
  ]);
}

export async function writeModelDir(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [rel, data] of files) {
    const target = path.join(dir, rel);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
}
