import type { FeatureSpace } from './features.js';
import { featureRows, poolingDivisor, sigmoid, type FastTextParams, type Pooling } from './model.js';

export interface TrainOptions {
  dim: number;
  epochs: number;
  /** Initial SGD step, decayed linearly to zero over training (as fastText does). */
  learningRate: number;
  bigramBuckets: number;
  /** Weight of a positive target in the loss (>1 counters the many negatives of rare labels). */
  positiveWeight: number;
  pooling: Pooling;
  /**
   * Training-time dropout of feature occurrences: words, character bigrams and token bigrams are
   * dropped with `dropout`, characters with `charDropout`. With few phrasings per label the model
   * would otherwise memorise whole words; dropping them makes characters carry signal too.
   */
  dropout: number;
  charDropout: number;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  dim: 48,
  epochs: 80,
  learningRate: 0.1,
  bigramBuckets: 16_384,
  positiveWeight: 2,
  pooling: 'sqrt',
  dropout: 0.8,
  charDropout: 0.4,
  seed: 20_261_101,
};

export interface TrainingExample {
  tokenIds: number[];
  /** Indices into the label list. */
  labels: number[];
  /**
   * Labels this example says nothing about (no gradient): an utterance carries no tone label of its
   * own, a whole customer side is labelled only for tone. Absent: every label is known.
   */
  unknown?: number[];
}

import { seededRandom } from '../../../src/shared/seeded-random.js';

export { seededRandom };

/**
 * Trains embeddings, weights and bias with plain SGD on the sum of per-label binary cross-entropies
 * (one sigmoid per label), one example at a time in a seeded shuffled order: same data, options and
 * seed → bit-identical parameters.
 */
export function trainFastText(
  space: FeatureSpace,
  labels: readonly string[],
  examples: readonly TrainingExample[],
  opts: TrainOptions,
): FastTextParams {
  const rand = seededRandom(opts.seed);
  const numLabels = labels.length;
  const unigramRows = space.rowNames.length;
  const numRows = unigramRows + opts.bigramBuckets;
  const embeddings = new Float32Array(numRows * opts.dim);
  for (let i = opts.dim; i < embeddings.length; i++) embeddings[i] = (rand() * 2 - 1) / opts.dim;
  const p: FastTextParams = {
    dim: opts.dim,
    labels: [...labels],
    canon: space.canon,
    featTable: space.featTable,
    maxFeatures: space.maxFeatures,
    embeddings,
    bigramOffset: unigramRows,
    bigramBuckets: opts.bigramBuckets,
    pooling: opts.pooling,
    weights: new Float32Array(opts.dim * numLabels),
    bias: new Float32Array(numLabels),
  };
  const prepared = examples.map((e) => ({
    allRows: featureRows(p, e.tokenIds),
    labels: new Set(e.labels),
    unknown: new Set(e.unknown ?? []),
  }));
  const isChar = space.rowNames.map((name) => name.startsWith('c:'));
  const keepRow = (r: number): boolean => rand() >= ((isChar[r] ?? false) ? opts.charDropout : opts.dropout);
  const dropping = opts.dropout > 0 || opts.charDropout > 0;
  const order = prepared.map((_, i) => i);
  const total = opts.epochs * prepared.length;
  const h = new Float32Array(opts.dim);
  const dh = new Float32Array(opts.dim);
  const g = new Float32Array(numLabels);
  let step = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const idx of order) {
      const ex = prepared[idx]!;
      const lr = opts.learningRate * (1 - step / total);
      step++;
      const rows = dropping ? ex.allRows.filter(keepRow) : ex.allRows;
      if (rows.length === 0) continue;
      h.fill(0);
      for (const r of rows) {
        const base = r * opts.dim;
        for (let d = 0; d < opts.dim; d++) h[d]! += embeddings[base + d]!;
      }
      const divisor = poolingDivisor(opts.pooling, rows.length);
      for (let d = 0; d < opts.dim; d++) h[d]! /= divisor;
      for (let l = 0; l < numLabels; l++) {
        let z = p.bias[l]!;
        for (let d = 0; d < opts.dim; d++) z += h[d]! * p.weights[d * numLabels + l]!;
        const positive = ex.labels.has(l);
        g[l] = ex.unknown.has(l)
          ? 0
          : (sigmoid(z) - (positive ? 1 : 0)) * (positive ? opts.positiveWeight : 1);
      }
      dh.fill(0);
      for (let d = 0; d < opts.dim; d++) {
        const row = d * numLabels;
        let acc = 0;
        for (let l = 0; l < numLabels; l++) {
          acc += g[l]! * p.weights[row + l]!;
          p.weights[row + l]! -= lr * g[l]! * h[d]!;
        }
        dh[d] = acc;
      }
      for (let l = 0; l < numLabels; l++) p.bias[l]! -= lr * g[l]!;
      const scale = lr / divisor;
      for (const r of rows) {
        const base = r * opts.dim;
        for (let d = 0; d < opts.dim; d++) embeddings[base + d]! -= scale * dh[d]!;
      }
    }
  }
  if (![p.weights, p.bias, embeddings].every((a) => a.every(Number.isFinite))) {
    throw new Error(
      `training diverged (non-finite parameters): lower the learning rate (${opts.learningRate})`,
    );
  }
  return p;
}
