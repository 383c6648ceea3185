import assert from 'node:assert/strict';
import { evaluate, groupOf } from '../../../pipelines/classifier/metrics.js';

describe('classifier metrics', () => {
  const labels = ['complaint', 'complaint:fees', 'need:deposit', 'need:insurance'];
  const gold = [new Set(['complaint', 'complaint:fees']), new Set(['need:deposit']), new Set<string>()];
  const predicted = [
    new Set(['complaint']),
    new Set(['need:deposit', 'need:insurance']),
    new Set(['complaint']),
  ];
  const e = evaluate(labels, gold, predicted);

  it('counts per label', () => {
    assert.deepEqual(e.perLabel.complaint, { precision: 0.5, recall: 1, f1: 0.6667, support: 1 });
    assert.deepEqual(e.perLabel['complaint:fees'], { precision: 0, recall: 0, f1: 0, support: 1 });
    assert.deepEqual(e.perLabel['need:insurance'], { precision: 0, recall: 1, f1: 0, support: 0 });
  });

  it('micro-averages per group', () => {
    assert.equal(groupOf('complaint:fees'), 'complaintCategory');
    assert.equal(groupOf('declinedNeed:deposit'), 'declinedNeed');
    assert.deepEqual(e.perGroup.need, { precision: 0.5, recall: 1, f1: 0.6667, support: 1 });
    // all: tp 2 (complaint, need:deposit), fp 2, fn 1
    assert.deepEqual(e.perGroup.all, { precision: 0.5, recall: 0.6667, f1: 0.5714, support: 3 });
  });
});
