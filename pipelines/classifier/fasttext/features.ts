import { canonicalPiece } from './tokenizer-json.js';

/**
 * The unigram feature space: which embedding rows each token owns. A token's candidate features are
 * the word itself (w:), for words of three or more characters its character bigrams (b:), then its
 * characters (c:); a candidate is kept when at least `minCount` training texts contain it. When a
 * token has more candidates than `maxFeatures`, the last ones go: characters before bigrams, because
 * jieba keeps long dictionary words whole (信用卡年费) and the bigram 年费 is what such a word shares
 * with the customer's other phrasings, while a single character says little on its own.
 */
export interface FeatureSpace {
  /** token id → canonical id (0: no kept feature). */
  canon: Int32Array;
  /** [numCanon, maxFeatures] embedding rows, 0-padded. */
  featTable: Int32Array;
  maxFeatures: number;
  /** Row names; row 0 is the padding row "". */
  rowNames: string[];
}

export function candidateFeatures(piece: string): string[] {
  const chars = [...piece];
  if (chars.length === 1) return [`c:${piece}`];
  // A two-character word is its own character bigram, shared with longer words containing it.
  const out = chars.length === 2 ? [`b:${piece}`] : [`w:${piece}`];
  if (chars.length >= 3) {
    for (let i = 0; i + 1 < chars.length; i++) out.push(`b:${chars[i]}${chars[i + 1]}`);
  }
  out.push(...chars.map((c) => `c:${c}`));
  return [...new Set(out)];
}

/** Counts, per candidate feature, the training texts (token id lists) that contain it. */
function documentFrequency(
  vocab: readonly string[],
  docs: readonly (readonly number[])[],
): Map<string, number> {
  const df = new Map<string, number>();
  for (const ids of docs) {
    const inDoc = new Set<string>();
    for (const id of ids) {
      const piece = canonicalPiece(vocab[id] ?? '');
      if (piece !== null) for (const f of candidateFeatures(piece)) inDoc.add(f);
    }
    for (const f of inDoc) df.set(f, (df.get(f) ?? 0) + 1);
  }
  return df;
}

export function buildFeatureSpace(
  vocab: readonly string[],
  trainDocs: readonly (readonly number[])[],
  opts: { minCount: number; maxFeatures: number },
): FeatureSpace {
  const df = documentFrequency(vocab, trainDocs);
  const rowNames = ['', ...[...df.keys()].filter((f) => (df.get(f) ?? 0) >= opts.minCount).sort()];
  const rowOf = new Map(rowNames.map((name, row) => [name, row]));
  // Canonical pieces with at least one kept feature, in sorted order (deterministic ids).
  const pieces = new Map<string, number[]>();
  for (const token of vocab) {
    const piece = canonicalPiece(token);
    if (piece === null || pieces.has(piece)) continue;
    const rows = candidateFeatures(piece)
      .map((f) => rowOf.get(f) ?? 0)
      .filter((r) => r > 0)
      .slice(0, opts.maxFeatures);
    if (rows.length > 0) pieces.set(piece, rows);
  }
  const sorted = [...pieces.keys()].sort();
  const canonOf = new Map(sorted.map((piece, i) => [piece, i + 1]));
  const featTable = new Int32Array((sorted.length + 1) * opts.maxFeatures);
  sorted.forEach((piece, i) => {
    (pieces.get(piece) ?? []).forEach((row, k) => (featTable[(i + 1) * opts.maxFeatures + k] = row));
  });
  const canon = new Int32Array(vocab.length);
  vocab.forEach((token, id) => {
    const piece = canonicalPiece(token);
    canon[id] = piece === null ? 0 : (canonOf.get(piece) ?? 0);
  });
  return { canon, featTable, maxFeatures: opts.maxFeatures, rowNames };
}
