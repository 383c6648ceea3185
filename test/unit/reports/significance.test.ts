import assert from 'node:assert/strict';
import { binomialUpperTail, holm, riseTest } from '../../../src/reports/significance.js';

const close = (actual: number | null, expected: number): void => {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);
};

describe('significance of a rise (conditional binomial test)', () => {
  it('sums the binomial upper tail exactly', () => {
    // P(X >= 6), X ~ Bin(10, 1/2) = (C(10,6)+C(10,7)+C(10,8)+C(10,9)+C(10,10)) / 2^10 = 386/1024
    close(binomialUpperTail(6, 10, 0.5), 386 / 1024);
    close(binomialUpperTail(0, 10, 0.5), 1);
    close(binomialUpperTail(11, 10, 0.5), 0);
  });

  it('does not call three extra mentions a rise', () => {
    // 3 this week, 0 last week, same volume: n = 3, p = 1/2, P(X >= 3) = 1/8.
    const t = riseTest(3, 1000, 0, 1000);
    close(t.pValue, 0.125);
    assert.equal(t.rose, true);
    assert.deepEqual(holm([t.pValue]), [false]);
  });

  it('tests against the rate of several baseline periods, with the volume as exposure', () => {
    // 10 among 100 conversations vs 8 among 400 in four weeks: n = 18, p = 100/500 = 1/5.
    // P(X >= 10) = sum_{k=10..18} C(18,k) (1/5)^k (4/5)^(18-k) = 694955717 / 762939453125.
    close(riseTest(10, 100, 8, 400).pValue, 694955717 / 762939453125);
    // Twice the volume this week: p = 200/600 = 1/3, the same counts are far less surprising.
    const busier = riseTest(10, 200, 8, 400).pValue ?? 1;
    assert.ok(Math.abs(busier - 0.04334806618862122) < 1e-12, String(busier));
  });

  it('has nothing to test without a baseline, and a fall is no rise', () => {
    assert.deepEqual(riseTest(5, 100, 0, 0), { pValue: null, rose: false });
    const fall = riseTest(2, 100, 40, 400);
    assert.equal(fall.rose, false);
    assert.ok((fall.pValue ?? 0) > 0.5);
  });

  it('keeps the family-wise error at alpha with Holm-Bonferroni', () => {
    // sorted: 0.01 <= 0.05/3 passes; 0.03 > 0.05/2 stops; null is not tested
    assert.deepEqual(holm([0.01, 0.04, 0.03, null]), [true, false, false, false]);
    assert.deepEqual(holm([0.01, 0.02, null]), [true, true, false]);
  });
});
