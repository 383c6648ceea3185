/**
 * A fastText-style bag-of-features classifier, in the exact form its ONNX export computes
 * (onnx-export.ts builds the same arithmetic as a graph; a unit test holds the two together).
 *
 * Token ids come from the WordPiece tokenizer (tokenizer-json.ts). Each token id maps to a canonical
 * id (`canon`; "##x" and "x" share one; 0 means the token carries no feature). Each canonical id
 * owns up to `maxFeatures` feature rows (`featTable`: the word itself, its characters, its character
 * bigrams; 0 pads). Neighbouring canonical ids also form hashed bigram and skip-bigram features.
 * The text vector is the mean of all feature embeddings; logits = mean · W + b.
 */
export interface FastTextParams {
  dim: number;
  labels: string[];
  /** token id → canonical id; 0 = no features (special tokens, unseen characters). */
  canon: Int32Array;
  /** [numCanon, maxFeatures] row-major embedding row ids; 0 = padding. */
  featTable: Int32Array;
  maxFeatures: number;
  /** Embedding rows [numRows, dim]; row 0 stays zero. Bigram buckets follow the unigram rows. */
  embeddings: Float32Array;
  bigramOffset: number;
  bigramBuckets: number;
  /**
   * Text vector = sum of rows / n ('mean', as fastText), / sqrt(n) ('sqrt') or / 1 ('sum': each
   * utterance adds its evidence whatever else the conversation says).
   */
  pooling: Pooling;
  /** [dim, numLabels] row-major. */
  weights: Float32Array;
  bias: Float32Array;
}

export type Pooling = 'mean' | 'sqrt' | 'sum';

/** The divisor of the summed rows. */
export function poolingDivisor(pooling: Pooling, count: number): number {
  const n = Math.max(count, 1);
  return pooling === 'mean' ? n : pooling === 'sqrt' ? Math.sqrt(n) : 1;
}

/** Multipliers of the bigram hashes: (a·P + b) mod buckets + offset, computed in int64 by ONNX. */
export const BIGRAM_PRIME = 1_000_003;
export const SKIP_BIGRAM_PRIME = 999_983;

/** Embedding rows of one text (with repetition), in the order the graph sums them. */
export function featureRows(p: FastTextParams, tokenIds: readonly number[]): number[] {
  const canon = tokenIds.map((id) => p.canon[id] ?? 0);
  const rows: number[] = [];
  for (const c of canon) {
    if (c === 0) continue;
    for (let k = 0; k < p.maxFeatures; k++) {
      const row = p.featTable[c * p.maxFeatures + k] ?? 0;
      if (row > 0) rows.push(row);
    }
  }
  const pairs = (gap: number, prime: number): void => {
    for (let t = 0; t + gap < canon.length; t++) {
      const a = canon[t] ?? 0;
      const b = canon[t + gap] ?? 0;
      if (a > 0 && b > 0) rows.push(p.bigramOffset + ((a * prime + b) % p.bigramBuckets));
    }
  };
  pairs(1, BIGRAM_PRIME);
  pairs(2, SKIP_BIGRAM_PRIME);
  return rows;
}

/** Sum of the embedding rows over the pooling divisor (zero vector when there are none). */
export function pool(p: FastTextParams, rows: readonly number[]): Float32Array {
  const h = new Float32Array(p.dim);
  for (const r of rows) {
    const base = r * p.dim;
    for (let d = 0; d < p.dim; d++) h[d]! += p.embeddings[base + d]!;
  }
  const n = poolingDivisor(p.pooling, rows.length);
  for (let d = 0; d < p.dim; d++) h[d]! /= n;
  return h;
}

export function logitsOf(p: FastTextParams, h: Float32Array): Float32Array {
  const numLabels = p.labels.length;
  const out = new Float32Array(numLabels);
  for (let l = 0; l < numLabels; l++) {
    let s = p.bias[l]!;
    for (let d = 0; d < p.dim; d++) s += h[d]! * p.weights[d * numLabels + l]!;
    out[l] = s;
  }
  return out;
}

/** The forward pass: token ids (special tokens included or not: they carry no features) → logits. */
export function forward(p: FastTextParams, tokenIds: readonly number[]): Float32Array {
  return logitsOf(p, pool(p, featureRows(p, tokenIds)));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}
