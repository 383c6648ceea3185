import assert from 'node:assert/strict';
import { COMPETITOR_IDS, NEEDS } from '../../../src/domain/labels.js';

describe('label ids', () => {
  it('has no duplicates', () => {
    assert.equal(new Set(COMPETITOR_IDS).size, COMPETITOR_IDS.length);
    assert.equal(new Set(NEEDS).size, NEEDS.length);
  });
});
