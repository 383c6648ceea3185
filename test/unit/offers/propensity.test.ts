import assert from 'node:assert/strict';
import { firstChoiceProbabilities, thompsonDraw, type Arm } from '../../../src/offers/propensity.js';
import { seededRandom } from '../../../src/shared/seeded-random.js';

/** The estimate as it was computed before: a full thompsonDraw per sample, its first arm counted. */
function reference(arms: Arm[], chosen: string | undefined, samples: number, random: () => number) {
  const wins = new Map<string, number>(arms.map((a) => [a.id, 0]));
  for (let s = 0; s < samples; s++) {
    const first = thompsonDraw(arms, random).order[0]?.id;
    if (first) wins.set(first, wins.get(first)! + 1);
  }
  if (chosen) wins.set(chosen, (wins.get(chosen) ?? 0) + 1);
  const total = samples + (chosen ? 1 : 0);
  return new Map([...wins].map(([id, n]) => [id, n / total]));
}

const arm = (id: string, alpha: number, beta: number, reach: number, weight: number): Arm => ({
  id,
  posterior: { alpha, beta },
  reach,
  weight,
});

describe('firstChoiceProbabilities', () => {
  const cases: [string, Arm[]][] = [
    ['tested arms', [arm('a', 2, 20, 1, 1), arm('b', 3, 10, 1, 0.8), arm('c', 0.5, 4, 1, 2)]],
    [
      'arms held back by the reach ramp',
      [arm('a', 2, 20, 0.2, 1), arm('b', 1, 1, 0.5, 1), arm('c', 4, 9, 1, 1.5)],
    ],
    ['every arm untested (sometimes all held back)', [arm('b', 1, 9, 0.2, 1), arm('a', 1, 9, 0.2, 1)]],
    ['equal weights and identical posteriors', [arm('x', 5, 5, 1, 1), arm('y', 5, 5, 1, 1)]],
  ];
  for (const [name, arms] of cases)
    it(`gives exactly the estimate of one thompsonDraw per sample (${name})`, () => {
      for (const seed of [1, 2, 3, 42]) {
        const chosen = arms[seed % arms.length]!.id;
        assert.deepEqual(
          firstChoiceProbabilities(arms, chosen, 200, seededRandom(seed)),
          reference(arms, chosen, 200, seededRandom(seed)),
        );
      }
    });

  it('gives a single candidate probability 1 and no candidates nothing', () => {
    assert.deepEqual(
      firstChoiceProbabilities([arm('a', 1, 1, 0.2, 1)], 'a', 200, seededRandom(1)),
      new Map([['a', 1]]),
    );
    assert.deepEqual(firstChoiceProbabilities([], undefined, 200, seededRandom(1)), new Map());
  });
});
