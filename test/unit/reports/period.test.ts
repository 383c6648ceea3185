import assert from 'node:assert/strict';
import { isoWeekOf, isoWeekPeriod, previousIsoWeek, previousPeriod } from '../../../src/reports/period.js';
import { ValidationError } from '../../../src/errors.js';

describe('report periods', () => {
  it('turns an ISO week into Monday to Sunday in China Standard Time', () => {
    assert.deepEqual(isoWeekPeriod('2026-W45'), {
      from: '2026-11-02T00:00:00.000+08:00',
      to: '2026-11-08T23:59:59.999+08:00',
    });
    // 2026-01-01 is a Thursday: week 1 starts on Monday 2025-12-29
    assert.equal(isoWeekPeriod('2026-W01').from, '2025-12-29T00:00:00.000+08:00');
    assert.equal(isoWeekPeriod('2026-W53').from, '2026-12-28T00:00:00.000+08:00');
  });

  it('finds the week of an instant in Shanghai, not UTC', () => {
    // Sunday 2026-11-08 20:00 UTC is Monday 04:00 in Shanghai
    assert.equal(isoWeekOf(Date.parse('2026-11-08T20:00:00Z')), '2026-W46');
    assert.equal(isoWeekOf(Date.parse('2026-11-08T15:59:59Z')), '2026-W45');
    assert.equal(previousIsoWeek(Date.parse('2026-11-09T00:00:00+08:00')), '2026-W45');
  });

  it('refuses weeks that do not exist', () => {
    assert.throws(() => isoWeekPeriod('2025-W53'), ValidationError);
    assert.throws(() => isoWeekPeriod('2026-45'), ValidationError);
  });

  it('steps back by the length of the period', () => {
    assert.deepEqual(previousPeriod(isoWeekPeriod('2026-W45'), 2), isoWeekPeriod('2026-W43'));
  });
});
