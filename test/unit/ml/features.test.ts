import assert from 'node:assert/strict';
import { buildFeatureSpace, candidateFeatures } from '../../../pipelines/classifier/fasttext/features.js';

describe('fastText feature space', () => {
  it('gives a long word its bigrams before its characters', () => {
    assert.deepEqual(candidateFeatures('信用卡年费'), [
      'w:信用卡年费',
      'b:信用',
      'b:用卡',
      'b:卡年',
      'b:年费',
      'c:信',
      'c:用',
      'c:卡',
      'c:年',
      'c:费',
    ]);
    assert.deepEqual(candidateFeatures('年费'), ['b:年费', 'c:年', 'c:费']);
    assert.deepEqual(candidateFeatures('费'), ['c:费']);
  });

  it('keeps the bigram a capped long word shares with shorter phrasings (年费 inside 信用卡年费)', () => {
    const vocab = ['信用卡年费', '年费', '太贵'];
    // Two texts contain every feature of both words, so every candidate is kept before the cap.
    const docs = [
      [0, 1],
      [0, 1, 2],
    ];
    const space = buildFeatureSpace(vocab, docs, { minCount: 2, maxFeatures: 8 });
    const rowsOf = (token: number): string[] => {
      const c = space.canon[token]!;
      return [...space.featTable.subarray(c * space.maxFeatures, (c + 1) * space.maxFeatures)]
        .filter((r) => r > 0)
        .map((r) => space.rowNames[r]!);
    };
    const long = rowsOf(0);
    assert.equal(long.length, 8);
    assert.ok(long.includes('b:年费'), `信用卡年费 lost 年费: ${long.join(' ')}`);
    assert.deepEqual(rowsOf(1), ['b:年费', 'c:年', 'c:费']);
    // The shared row is the same row: what the model learns from 年费 reaches 信用卡年费.
    assert.ok(rowsOf(1).every((f) => f.startsWith('c:') || long.includes(f)));
  });
});
