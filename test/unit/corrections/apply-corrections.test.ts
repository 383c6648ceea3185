import assert from 'node:assert/strict';
import { emptyAnalysis, type Analysis } from '../../../src/domain/analysis.js';
import type { Conversation } from '../../../src/domain/conversation.js';
import { flatLabels, type CorrectionAction } from '../../../src/domain/correction.js';
import { applyCorrections, correctionsThatFit } from '../../../src/corrections/apply-corrections.js';

let clock = 0;
const fix = (action: CorrectionAction, label: string, utterance = 1, text = '客户说的话') => ({
  id: `c${++clock}`,
  at: new Date(Date.UTC(2026, 10, 1, 10, 0, clock)).toISOString(),
  action,
  label,
  utterance,
  text,
});

/** The engine's analysis: a fee complaint escalated to the regulator, cmb with rate, a pension need. */
function engine(): Analysis {
  return {
    ...emptyAnalysis('c-1'),
    complaint: { is: true, categories: ['fees'], escalation: ['regulator'] },
    competitors: [{ id: 'cmb', aspects: ['rate'], switchingIntent: true }],
    needs: ['pension'],
    sentiment: { customer: -0.5 },
    evidence: [
      { label: 'complaint:fees', utterance: 1, start: 3, end: 5 },
      { label: 'escalation:regulator', utterance: 3, start: 0, end: 4 },
      { label: 'competitor:cmb', utterance: 3, start: 6, end: 8 },
      { label: 'need:pension', utterance: 5, start: 2, end: 5 },
    ],
  };
}

describe('applyCorrections', () => {
  it('removes a wrong label and its evidence, leaving everything else', () => {
    const out = applyCorrections(engine(), [fix('remove', 'need:pension', 5)]);
    assert.deepEqual(out.needs, []);
    assert.equal(
      out.evidence.some((e) => e.label === 'need:pension'),
      false,
    );
    assert.deepEqual(
      flatLabels(out),
      flatLabels(engine()).filter((l) => l !== 'need:pension'),
    );
    assert.equal(out.sentiment.customer, -0.5);
  });

  it('adds a missed label with evidence on the whole corrected utterance', () => {
    const out = applyCorrections(engine(), [fix('add', 'lifeEvent:retirement', 5, '我明年退休')]);
    assert.deepEqual(out.lifeEvents, ['retirement']);
    assert.deepEqual(
      out.evidence.find((e) => e.label === 'lifeEvent:retirement'),
      { label: 'lifeEvent:retirement', utterance: 5, start: 0, end: 5 },
    );
  });

  it('does not change its input', () => {
    const input = engine();
    applyCorrections(input, [fix('remove', 'complaint'), fix('add', 'competitor:icbc')]);
    assert.deepEqual(input, engine());
  });

  it('is idempotent: applying the same corrections again changes nothing', () => {
    const corrections = [
      fix('add', 'aspect:icbc/fee', 2),
      fix('remove', 'switching:cmb', 3),
      fix('add', 'declinedNeed:insurance', 4),
      fix('remove', 'complaint:fees'),
    ];
    const once = applyCorrections(engine(), corrections);
    assert.deepEqual(applyCorrections(once, corrections), once);
  });

  it('applies oldest first, whatever the order given', () => {
    const add = fix('add', 'need:deposit');
    const remove = fix('remove', 'need:deposit');
    assert.deepEqual(applyCorrections(engine(), [remove, add]).needs, ['pension']);
    const again = fix('add', 'need:deposit');
    assert.deepEqual(applyCorrections(engine(), [again, remove, add]).needs, ['pension', 'deposit']);
  });

  it('removing the complaint removes its categories and escalations with their evidence', () => {
    const out = applyCorrections(engine(), [fix('remove', 'complaint')]);
    assert.deepEqual(out.complaint, { is: false, categories: [], escalation: [] });
    assert.deepEqual(
      out.evidence.map((e) => e.label),
      ['competitor:cmb', 'need:pension'],
    );
  });

  it('removing the last category ends the complaint, unless an escalation or an explicit mark holds it', () => {
    const escalated = applyCorrections(engine(), [fix('remove', 'complaint:fees')]);
    assert.deepEqual(escalated.complaint, { is: true, categories: [], escalation: ['regulator'] });
    const plain = applyCorrections(engine(), [
      fix('remove', 'escalation:regulator'),
      fix('remove', 'complaint:fees'),
    ]);
    assert.deepEqual(plain.complaint, { is: false, categories: [], escalation: [] });
    const marked = applyCorrections(engine(), [
      fix('remove', 'escalation:regulator'),
      fix('add', 'complaint', 2),
      fix('remove', 'complaint:fees'),
    ]);
    assert.deepEqual(marked.complaint, { is: true, categories: [], escalation: [] });
    const other = applyCorrections(plain, [fix('add', 'complaint:wait_time')]);
    assert.deepEqual(other.complaint, { is: true, categories: ['wait_time'], escalation: [] });
  });

  it('a category or an escalation implies a complaint', () => {
    const category = applyCorrections(emptyAnalysis('x'), [fix('add', 'complaint:wait_time')]);
    assert.deepEqual(category.complaint, { is: true, categories: ['wait_time'], escalation: [] });
    const escalation = applyCorrections(emptyAnalysis('x'), [fix('add', 'escalation:media')]);
    assert.deepEqual(escalation.complaint, { is: true, categories: [], escalation: ['media'] });
    const bare = applyCorrections(emptyAnalysis('x'), [fix('add', 'complaint')]);
    assert.deepEqual(flatLabels(bare), ['complaint']);
  });

  it('an aspect or switching intent implies the competitor, with evidence for both', () => {
    const out = applyCorrections(emptyAnalysis('x'), [
      fix('add', 'aspect:alipay/rate', 2, '余额宝收益高'),
      fix('add', 'switching:alipay', 2, '余额宝收益高'),
      fix('add', 'aspect:alipay/fee', 2, '余额宝收益高'),
    ]);
    assert.deepEqual(out.competitors, [{ id: 'alipay', aspects: ['fee', 'rate'], switchingIntent: true }]);
    assert.deepEqual(
      out.evidence.map((e) => e.label),
      ['competitor:alipay', 'aspect:alipay/rate', 'switching:alipay', 'aspect:alipay/fee'],
    );
  });

  it('removing a competitor removes its aspects, switching intent and their evidence', () => {
    const withAspect = applyCorrections(engine(), [fix('add', 'aspect:cmb/service', 4)]);
    const out = applyCorrections(withAspect, [fix('remove', 'competitor:cmb', 3)]);
    assert.deepEqual(out.competitors, []);
    assert.equal(
      out.evidence.some((e) => /cmb/.test(e.label)),
      false,
    );
  });

  it('removes one aspect or the switching intent alone', () => {
    const out = applyCorrections(engine(), [
      fix('remove', 'aspect:cmb/rate'),
      fix('remove', 'switching:cmb'),
    ]);
    assert.deepEqual(out.competitors, [{ id: 'cmb', aspects: [], switchingIntent: false }]);
  });

  it('a need and a declined need of one product exclude each other', () => {
    const declined = applyCorrections(engine(), [fix('add', 'declinedNeed:pension', 5)]);
    assert.deepEqual([declined.needs, declined.declinedNeeds], [[], ['pension']]);
    assert.equal(
      declined.evidence.some((e) => e.label === 'need:pension'),
      false,
    );
    const wanted = applyCorrections(declined, [fix('add', 'need:pension', 5)]);
    assert.deepEqual([wanted.needs, wanted.declinedNeeds], [['pension'], []]);
  });

  it('adds evidence for a label already present only where it is missing', () => {
    const out = applyCorrections(engine(), [
      fix('add', 'complaint:fees', 1),
      fix('add', 'complaint:fees', 2),
    ]);
    assert.deepEqual(out.complaint.categories, ['fees']);
    assert.deepEqual(
      out.evidence.filter((e) => e.label === 'complaint:fees').map((e) => e.utterance),
      [1, 2],
    );
  });

  it('keeps evidence in utterance order', () => {
    const out = applyCorrections(engine(), [fix('add', 'lifeEvent:marriage', 0)]);
    const order = out.evidence.map((e) => e.utterance);
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
    );
  });

  it('skips labels it does not know (a newer taxonomy) and removals of absent labels', () => {
    const out = applyCorrections(engine(), [fix('add', 'need:crypto'), fix('remove', 'lifeEvent:marriage')]);
    assert.deepEqual(out, applyCorrections(engine(), []));
  });
});

describe('correctionsThatFit', () => {
  const conversation: Conversation = {
    id: 'c-1',
    channel: 'call',
    startedAt: '2026-11-01T10:00:00+08:00',
    utterances: [
      { speaker: 'agent', text: '您好' },
      { speaker: 'customer', text: '我的卡号6222020200112233445不能用' },
    ],
  };

  it('keeps corrections whose customer utterance still has the corrected (redacted) text', () => {
    const masked = fix('add', 'complaint:account_restriction', 1, '我的卡号***************3445不能用');
    const changed = fix('add', 'complaint:fees', 1, '别的话');
    const agent = fix('add', 'need:deposit', 0, '您好');
    const gone = fix('add', 'need:deposit', 7, '您好');
    assert.deepEqual(correctionsThatFit(conversation, [masked, changed, agent, gone]), [masked]);
  });
});
