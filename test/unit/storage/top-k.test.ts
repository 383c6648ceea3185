import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TopK } from '../../../src/storage/sqlite/top-k.js';

describe('TopK', () => {
  it('keeps the k best of any stream, best first, as sorting all would', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: 0, max: 12 }), (xs, k) => {
        const top = new TopK<number>(k, (a, b) => a > b);
        for (const x of xs) top.offer(x);
        assert.deepEqual(top.sorted(), [...xs].sort((a, b) => b - a).slice(0, k));
      }),
    );
  });

  it('compares each new item once with the worst kept when it does not enter', () => {
    let comparisons = 0;
    const top = new TopK<number>(3, (a, b) => {
      comparisons++;
      return a > b;
    });
    for (const x of [9, 8, 7]) top.offer(x);
    comparisons = 0;
    for (let i = 0; i < 1000; i++) top.offer(1);
    assert.equal(comparisons, 1000);
  });
});
