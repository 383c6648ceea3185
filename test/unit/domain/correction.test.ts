import assert from 'node:assert/strict';
import { emptyAnalysis } from '../../../src/domain/analysis.js';
import { flatLabels, parseFlatLabel, unknownLabelMessage } from '../../../src/domain/correction.js';

describe('flat labels', () => {
  it('parses every form with known ids, and nothing else', () => {
    assert.deepEqual(parseFlatLabel('complaint'), { kind: 'complaint' });
    assert.deepEqual(parseFlatLabel('complaint:fees'), { kind: 'category', value: 'fees' });
    assert.deepEqual(parseFlatLabel('escalation:regulator'), { kind: 'escalation', value: 'regulator' });
    assert.deepEqual(parseFlatLabel('competitor:cmb'), { kind: 'competitor', competitor: 'cmb' });
    assert.deepEqual(parseFlatLabel('aspect:cmb/rate'), {
      kind: 'aspect',
      competitor: 'cmb',
      aspect: 'rate',
    });
    assert.deepEqual(parseFlatLabel('switching:cmb'), { kind: 'switching', competitor: 'cmb' });
    assert.deepEqual(parseFlatLabel('need:pension'), { kind: 'need', value: 'pension' });
    assert.deepEqual(parseFlatLabel('declinedNeed:insurance'), { kind: 'declinedNeed', value: 'insurance' });
    assert.deepEqual(parseFlatLabel('lifeEvent:retirement'), { kind: 'lifeEvent', value: 'retirement' });
    for (const bad of [
      '',
      'complaint:',
      'complaint:expensive',
      'Complaint:fees',
      'need:pension ',
      'aspect:rate',
      'aspect:cmb/rate/x',
      'aspect:home/rate',
      'switchingIntent',
      'sentiment:-1',
      'need:toString',
    ])
      assert.equal(parseFlatLabel(bad), undefined, bad);
  });

  it('lists the labels of an analysis in that form', () => {
    const labels = flatLabels({
      ...emptyAnalysis('x'),
      complaint: { is: true, categories: ['fees'], escalation: ['media'] },
      competitors: [{ id: 'cmb', aspects: ['rate'], switchingIntent: true }],
      needs: ['pension'],
      declinedNeeds: ['insurance'],
      lifeEvents: ['retirement'],
    });
    assert.deepEqual(labels, [
      'aspect:cmb/rate',
      'competitor:cmb',
      'complaint',
      'complaint:fees',
      'declinedNeed:insurance',
      'escalation:media',
      'lifeEvent:retirement',
      'need:pension',
      'switching:cmb',
    ]);
    assert.ok(labels.every((l) => parseFlatLabel(l) !== undefined));
  });

  it('explains a refusal with the label, the forms and the ids', () => {
    const message = unknownLabelMessage('need:gold');
    assert.match(message, /"need:gold"/);
    assert.match(message, /aspect:<competitor>\/<aspect>/);
    assert.match(message, /<need> one of credit_card_new, .*precious_metals/);
    assert.match(message, /<competitor> one of icbc, .*other_bank/);
  });
});
