import assert from 'node:assert/strict';
import { offerReportQuery } from '../../../src/api/routes/decisions.js';

describe('GET /v1/reports/offers query', () => {
  it('turns whole days (+08:00) into [from, to) with to just past the last day', () => {
    assert.deepEqual(offerReportQuery.parse({ from: '2026-11-01', to: '2026-11-01' }), {
      from: '2026-11-01T00:00:00.000+08:00',
      to: '2026-11-01T16:00:00.000Z',
    });
  });

  it('refuses a period that ends before it starts, naming `to`', () => {
    const result = offerReportQuery.safeParse({ from: '2026-11-30', to: '2026-11-01' });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['to']);
  });

  // The handler used to compute `to` itself and threw a RangeError (a 500) on a date like this.
  it('refuses a date that matches the pattern but does not exist instead of throwing', () => {
    const result = offerReportQuery.safeParse({ from: '2026-11-01', to: '2026-13-45' });
    assert.equal(result.success, false);
    assert.match(result.error?.issues[0]?.message ?? '', /valid dates/);
  });
});
