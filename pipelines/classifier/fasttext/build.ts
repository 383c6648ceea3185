import { PreTrainedTokenizer } from '@xenova/transformers';
import { buildFeatureSpace } from './features.js';
import type { FastTextParams } from './model.js';
import { buildTokenizerFiles, buildVocabulary } from './tokenizer-json.js';
import { trainFastText, type TrainOptions } from './train.js';

export interface BuildOptions extends TrainOptions {
  /** A jieba word enters the vocabulary when it occurs in this many training texts. */
  minWordCount: number;
  /** A feature (word, character, character bigram) gets a row when this many training texts have it. */
  minFeatureCount: number;
  maxFeatures: number;
  /** Tokens per text kept by the tokenizer (and by training, identically). */
  maxLength: number;
}

export interface LabelledText {
  /** Space-joined words (modelInputs in src/analysis/model-inputs.ts for the shipped model). */
  text: string;
  labels: readonly string[];
  /** Labels this text says nothing about (see TrainingExample.unknown). */
  unknown?: readonly string[];
}

export interface BuiltModel {
  params: FastTextParams;
  vocab: string[];
  /** Token ids exactly as the exported tokenizer (and so the transformers.js pipeline) makes them. */
  encode(text: string): number[];
}

/** The exported tokenizer, run in-process through transformers.js itself. */
export function tokenizerFor(vocab: readonly string[], maxLength: number): (text: string) => number[] {
  const { tokenizer, tokenizerConfig } = buildTokenizerFiles(vocab, maxLength);
  const tok = new PreTrainedTokenizer(tokenizer, tokenizerConfig);
  return (text) => {
    const ids = tok.encode(text);
    // The pipeline truncates to model_max_length; keep training identical.
    return ids.length > maxLength ? ids.slice(0, maxLength) : ids;
  };
}

function vocabularyWords(texts: readonly string[], minCount: number): string[] {
  const df = new Map<string, number>();
  for (const text of texts) {
    for (const w of new Set(text.split(' '))) {
      if ([...w].length >= 2) df.set(w, (df.get(w) ?? 0) + 1);
    }
  }
  return [...df.keys()].filter((w) => (df.get(w) ?? 0) >= minCount).sort();
}

function corpusChars(texts: readonly string[]): string[] {
  const chars = new Set<string>();
  for (const t of texts) for (const c of t) if (c.trim() !== '') chars.add(c);
  return [...chars].sort();
}

/** Vocabulary → tokenizer → feature space → SGD: the whole model from labelled texts. */
export function buildFastTextModel(
  train: readonly LabelledText[],
  labels: readonly string[],
  opts: BuildOptions,
): BuiltModel {
  const normalise = (t: string): string => t.normalize('NFKC').toLowerCase();
  const texts = train.map((e) => normalise(e.text));
  const vocab = buildVocabulary(vocabularyWords(texts, opts.minWordCount), corpusChars(texts));
  const encode = tokenizerFor(vocab, opts.maxLength);
  const docs = train.map((e) => encode(e.text));
  const space = buildFeatureSpace(vocab, docs, {
    minCount: opts.minFeatureCount,
    maxFeatures: opts.maxFeatures,
  });
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const examples = train.map((e, i) => ({
    tokenIds: docs[i] ?? [],
    labels: e.labels.map((l) => labelIndex.get(l)).filter((x): x is number => x !== undefined),
    unknown: (e.unknown ?? []).map((l) => labelIndex.get(l)).filter((x): x is number => x !== undefined),
  }));
  return { params: trainFastText(space, labels, examples, opts), vocab, encode };
}
