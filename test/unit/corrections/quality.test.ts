import assert from 'node:assert/strict';
import { estimateQuality } from '../../../src/corrections/quality.js';

let clock = 0;
const correction = (
  conversationId: string,
  label: string,
  labelsBefore: string[],
  labelsAfter: string[],
) => ({
  id: `k${++clock}`,
  at: new Date(Date.UTC(2026, 10, 1, 10, 0, clock)).toISOString(),
  conversationId,
  label,
  labelsBefore,
  labelsAfter,
});

describe('estimateQuality', () => {
  it('counts removals as false positives, additions as false negatives, labels left as true positives', () => {
    const report = estimateQuality([
      // c1: the engine said fees + cmb; fees was wrong, a pension need was missed.
      correction(
        'c1',
        'complaint:fees',
        ['competitor:cmb', 'complaint', 'complaint:fees'],
        ['competitor:cmb', 'complaint'],
      ),
      correction(
        'c1',
        'need:pension',
        ['competitor:cmb', 'complaint'],
        ['competitor:cmb', 'complaint', 'need:pension'],
      ),
      // c2: the engine said cmb, wrongly.
      correction('c2', 'competitor:cmb', ['competitor:cmb'], []),
    ]);
    assert.equal(report.conversationsReviewed, 2);
    const byLabel = Object.fromEntries(report.labels.map((l) => [l.label, l]));
    assert.deepEqual(byLabel['competitor:cmb'], {
      label: 'competitor:cmb',
      tp: 1,
      fp: 1,
      fn: 0,
      precision: 0.5,
      recall: 1,
      corrections: 1,
    });
    assert.deepEqual(byLabel['complaint:fees'], {
      label: 'complaint:fees',
      tp: 0,
      fp: 1,
      fn: 0,
      precision: 0,
      recall: null,
      corrections: 1,
    });
    assert.deepEqual(byLabel['need:pension'], {
      label: 'need:pension',
      tp: 0,
      fp: 0,
      fn: 1,
      precision: null,
      recall: 0,
      corrections: 1,
    });
    assert.deepEqual(byLabel.complaint, {
      label: 'complaint',
      tp: 1,
      fp: 0,
      fn: 0,
      precision: 1,
      recall: 1,
      corrections: 0,
    });
  });

  it('counts what a correction implied: removing the complaint makes its categories false positives', () => {
    const report = estimateQuality([
      correction('c1', 'complaint', ['complaint', 'complaint:fees', 'escalation:media'], []),
    ]);
    assert.deepEqual(
      report.labels.map((l) => [l.label, l.fp, l.corrections]),
      [
        ['complaint', 1, 1],
        ['complaint:fees', 1, 0],
        ['escalation:media', 1, 0],
      ],
    );
  });

  it('nets out an analyst undoing their own correction', () => {
    const report = estimateQuality([
      correction('c1', 'need:deposit', ['need:deposit'], []),
      correction('c1', 'need:deposit', [], ['need:deposit']),
    ]);
    assert.deepEqual(
      report.labels.map((l) => [l.label, l.tp, l.fp, l.fn, l.corrections]),
      [['need:deposit', 1, 0, 0, 2]],
    );
  });

  it('uses the labels before the first and after the last correction, whatever the input order', () => {
    const first = correction('c1', 'need:deposit', ['need:deposit', 'need:pension'], ['need:pension']);
    const second = correction('c1', 'need:pension', ['need:pension'], []);
    const report = estimateQuality([second, first]);
    assert.deepEqual(
      report.labels.map((l) => [l.label, l.fp]),
      [
        ['need:deposit', 1],
        ['need:pension', 1],
      ],
    );
  });

  it('reports nothing without corrections', () => {
    assert.deepEqual(estimateQuality([]), { labels: [], conversationsReviewed: 0 });
  });

  it('orders labels by errors, most first', () => {
    const report = estimateQuality([
      correction('c1', 'need:deposit', ['lifeEvent:marriage', 'need:deposit'], ['lifeEvent:marriage']),
      correction('c2', 'need:deposit', ['need:deposit'], []),
    ]);
    assert.deepEqual(
      report.labels.map((l) => l.label),
      ['need:deposit', 'lifeEvent:marriage'],
    );
  });
});
