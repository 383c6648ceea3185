import assert from 'node:assert/strict';
import { redactText } from '../../../../src/pipeline/redact/index.js';

describe('redactText cost', () => {
  // Linear time: four times the input may take about four times as long, never sixteen (quadratic).
  const fastest = (text: string): number => {
    let best = Infinity;
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      redactText(text);
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  for (const unit of ['1 ', '* ', '12 嗯 ', '一', '*1 ', '13812345678 ']) {
    it(`grows linearly on ${JSON.stringify(unit)} repeated`, () => {
      // Inputs long enough that each run takes milliseconds, best of seven: a loaded machine slows
      // both sizes alike instead of inflating a sub-millisecond baseline.
      const small = fastest(unit.repeat(2000));
      const large = fastest(unit.repeat(8000));
      assert.ok(large < 10 * Math.max(small, 2), `${small.toFixed(1)} ms -> ${large.toFixed(1)} ms`);
    });
  }
});
