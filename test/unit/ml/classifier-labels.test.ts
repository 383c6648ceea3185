import assert from 'node:assert/strict';
import {
  CLASSIFIER_LABELS,
  labelsOfExpected,
  parseClassifierLabel,
} from '../../../src/ml/classifier-labels.js';

describe('classifier labels', () => {
  it('are unique and every one maps back to the taxonomy', () => {
    assert.equal(new Set(CLASSIFIER_LABELS).size, CLASSIFIER_LABELS.length);
    for (const label of CLASSIFIER_LABELS) assert.ok(parseClassifierLabel(label), label);
    assert.deepEqual(parseClassifierLabel('declinedNeed:insurance'), {
      kind: 'declinedNeed',
      id: 'insurance',
    });
    assert.deepEqual(parseClassifierLabel('complaint:fees'), { kind: 'complaintCategory', id: 'fees' });
  });

  it('rejects labels outside the taxonomy (a dropped-in model may have its own)', () => {
    for (const label of ['need:rocket', 'complaint:', 'LABEL_0', 'competitor:cmb']) {
      assert.equal(parseClassifierLabel(label), null, label);
    }
  });

  it('reads the labels of a corpus record', () => {
    const labels = labelsOfExpected({
      complaint: true,
      categories: ['fees'],
      needs: ['deposit'],
      declinedNeeds: ['insurance'],
      lifeEvents: ['marriage', 'not_an_event'],
    });
    assert.deepEqual(labels, [
      'complaint',
      'complaint:fees',
      'need:deposit',
      'declinedNeed:insurance',
      'lifeEvent:marriage',
    ]);
    assert.deepEqual(labelsOfExpected({ complaint: false }), []);
  });
});
