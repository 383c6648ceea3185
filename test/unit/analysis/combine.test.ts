import assert from 'node:assert/strict';
import {
  LABEL_GROUPS,
  type CombinationPolicy,
  type LabelGroup,
} from '../../../src/analysis/combination-policy.js';
import { combineWithModel, type ModelScores } from '../../../src/analysis/combine.js';
import { emptyAnalysis, type Analysis } from '../../../src/domain/analysis.js';
import type { Conversation } from '../../../src/domain/conversation.js';

const conversation: Conversation = {
  id: 'c1',
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  utterances: [
    { speaker: 'agent', text: '您好' },
    { speaker: 'customer', text: '华夏银行三年定期给到二点四' },
    { speaker: 'agent', text: '我们这边是二点一' },
    { speaker: 'customer', text: '那边高多了我打了一上午电话都转不到人工' },
  ],
};

const every = (v: number) =>
  Object.fromEntries(LABEL_GROUPS.map((g) => [g, v])) as Record<LabelGroup, number>;
const policy = (over: Partial<CombinationPolicy> = {}): CombinationPolicy => ({
  inputs: 'utterance',
  categoryFallback: 2,
  switchingEscalates: false,
  declineFlip: 2,
  add: every(0.8),
  veto: every(0.05),
  gate: every(0),
  toneWeight: 0,
  version: 'test',
  ...over,
});
const model = (
  u1: Record<string, number>,
  u3: Record<string, number>,
  side?: Record<string, number>,
): ModelScores => ({
  utterances: new Map([
    [1, new Map(Object.entries(u1))],
    [3, new Map(Object.entries(u3))],
  ]),
  ...(side ? { customerSide: new Map(Object.entries(side)) } : {}),
});
const withCompetitor = (over: Partial<Analysis> = {}): Analysis => ({
  ...emptyAnalysis('c1'),
  competitors: [{ id: 'hxb', aspects: [], switchingIntent: false }],
  evidence: [{ label: 'competitor:hxb', utterance: 1, start: 0, end: 4 }],
  ...over,
});

describe('combineWithModel', () => {
  it('adds a complaint category the rules missed, with the best-scoring utterance as evidence', () => {
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      model({ complaint: 0.1 }, { complaint: 0.95, 'complaint:wait_time': 0.9 }),
      policy(),
    );
    assert.deepEqual(result.complaint, { is: true, categories: ['wait_time'], escalation: [] });
    assert.deepEqual(result.evidence, [{ label: 'complaint:wait_time', utterance: 3, start: 0, end: 19 }]);
  });

  it('adds no complaint to a customer the rules found calm unless the model hears a negative tone', () => {
    const heard = model({}, { complaint: 0.95, 'complaint:wait_time': 0.9 });
    const calm = combineWithModel(emptyAnalysis('c1'), conversation, heard, policy(), { customerCalm: true });
    assert.deepEqual(calm.complaint, { is: false, categories: [], escalation: [] });
    const upset = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      { ...heard, customerSide: new Map([['tone:negative', 0.8]]) },
      policy(),
      { customerCalm: true },
    );
    assert.deepEqual(upset.complaint, { is: true, categories: ['wait_time'], escalation: [] });
  });

  it('calls a confident complaint without a confident category "other"', () => {
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      model({}, { complaint: 0.9 }),
      policy(),
    );
    assert.deepEqual(result.complaint.categories, ['other']);
  });

  it("gives a categoryless complaint the model's best category above the fallback threshold", () => {
    const scores = model({}, { complaint: 0.9, 'complaint:wait_time': 0.35, 'complaint:fees': 0.2 });
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      scores,
      policy({ categoryFallback: 0.3 }),
    );
    assert.deepEqual(result.complaint.categories, ['wait_time']);
    const without = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      scores,
      policy({ categoryFallback: 0.4 }),
    );
    assert.deepEqual(without.complaint.categories, ['other']);
  });

  it('adds a label one utterance suggests only when the whole customer side fits it (gate)', () => {
    const scores = model(
      {},
      { complaint: 0.99, 'complaint:fees': 0.9 },
      { complaint: 0.1, 'complaint:fees': 0.05 },
    );
    const gated = combineWithModel(emptyAnalysis('c1'), conversation, scores, policy({ gate: every(0.2) }));
    assert.equal(gated.complaint.is, false);
    assert.equal(combineWithModel(emptyAnalysis('c1'), conversation, scores, policy()).complaint.is, true);
  });

  it('leaves the rules alone below the add threshold', () => {
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      model({ 'need:deposit': 0.79 }, { complaint: 0.5 }),
      policy(),
    );
    assert.deepEqual(result, { ...emptyAnalysis('c1') });
  });

  it('vetoes a rule need the model hears nowhere, and its evidence', () => {
    const rules: Analysis = {
      ...emptyAnalysis('c1'),
      needs: ['mortgage', 'deposit'],
      evidence: [
        { label: 'need:mortgage', utterance: 1, start: 0, end: 2 },
        { label: 'need:deposit', utterance: 1, start: 4, end: 6 },
      ],
    };
    const result = combineWithModel(
      rules,
      conversation,
      model({ 'need:deposit': 0.6, 'need:mortgage': 0.01 }, {}),
      policy(),
    );
    assert.deepEqual(result.needs, ['deposit']);
    assert.deepEqual(
      result.evidence.map((e) => e.label),
      ['need:deposit'],
    );
  });

  it('adds a product as a decline when the model scores the decline higher', () => {
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      model({ 'need:insurance': 0.85, 'declinedNeed:insurance': 0.95 }, {}),
      policy(),
    );
    assert.deepEqual([result.needs, result.declinedNeeds], [[], ['insurance']]);
  });

  it('turns a need the rules heard into a decline the customer voiced at or after it', () => {
    const rules: Analysis = {
      ...emptyAnalysis('c1'),
      needs: ['deposit'],
      evidence: [{ label: 'need:deposit', utterance: 1, start: 0, end: 4 }],
    };
    const scores = model({ 'need:deposit': 0.9 }, { 'declinedNeed:deposit': 0.7 });
    const flipped = combineWithModel(rules, conversation, scores, policy({ declineFlip: 0.6 }));
    assert.deepEqual([flipped.needs, flipped.declinedNeeds], [[], ['deposit']]);
    assert.deepEqual(
      flipped.evidence.map((e) => [e.label, e.utterance]),
      [['declinedNeed:deposit', 3]],
    );
    // below the threshold, or off (the default), the rules' need stands
    for (const declineFlip of [0.8, 2]) {
      const kept = combineWithModel(rules, conversation, scores, policy({ declineFlip }));
      assert.deepEqual([kept.needs, kept.declinedNeeds], [['deposit'], []]);
    }
    // a refusal before the need (「不要保险……那存款呢」) does not undo the need voiced after it
    const later = { ...rules, evidence: [{ label: 'need:deposit', utterance: 3, start: 0, end: 4 }] };
    const refusedFirst = model({ 'declinedNeed:deposit': 0.9 }, { 'need:deposit': 0.9 });
    const stands = combineWithModel(later, conversation, refusedFirst, policy({ declineFlip: 0.6 }));
    assert.deepEqual([stands.needs, stands.declinedNeeds], [['deposit'], []]);
  });

  it('gives an aspect heard in a later utterance to the competitor named before it (那边)', () => {
    const result = combineWithModel(
      withCompetitor(),
      conversation,
      model({}, { 'aspect:rate': 0.9, switching: 0.2 }),
      policy(),
    );
    assert.deepEqual(result.competitors, [{ id: 'hxb', aspects: ['rate'], switchingIntent: false }]);
  });

  it('adds no aspect or switching without a competitor the rules named', () => {
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      model({ 'aspect:rate': 0.99, switching: 0.99 }, {}),
      policy(),
    );
    assert.deepEqual(result.competitors, []);
  });

  it('escalates a complaint whose customer moves to a competitor when the policy says so', () => {
    const rules = withCompetitor({
      complaint: { is: true, categories: ['fees'], escalation: [] },
      competitors: [{ id: 'hxb', aspects: [], switchingIntent: true }],
    });
    const scores = model({ 'complaint:fees': 0.9, switching: 0.9 }, {});
    const on = combineWithModel(rules, conversation, scores, policy({ switchingEscalates: true }));
    assert.deepEqual(on.complaint.escalation, ['account_closure']);
    assert.ok(on.evidence.some((e) => e.label === 'escalation:account_closure' && e.utterance === 1));
    assert.deepEqual(combineWithModel(rules, conversation, scores, policy()).complaint.escalation, []);
  });

  it('vetoes rule switching when the model hears no switching anywhere', () => {
    const rules = withCompetitor({ competitors: [{ id: 'hxb', aspects: ['rate'], switchingIntent: true }] });
    const result = combineWithModel(
      rules,
      conversation,
      model({ 'aspect:rate': 0.5, switching: 0.01 }, {}),
      policy(),
    );
    assert.deepEqual(result.competitors, [{ id: 'hxb', aspects: ['rate'], switchingIntent: false }]);
  });

  it('blends the customer-side tone into the sentiment by the tone weight', () => {
    const rules = { ...emptyAnalysis('c1'), sentiment: { customer: 0 } };
    const scores = model({}, {}, { 'tone:negative': 0.9, 'tone:positive': 0.1 });
    assert.equal(
      combineWithModel(rules, conversation, scores, policy({ toneWeight: 0.5 })).sentiment.customer,
      -0.4,
    );
    assert.equal(combineWithModel(rules, conversation, scores, policy()).sentiment.customer, 0);
  });

  it("keeps the rules' category the model vetoed when the model keeps the complaint but names none", () => {
    const rules: Analysis = {
      ...emptyAnalysis('c1'),
      complaint: { is: true, categories: ['fees'], escalation: [] },
      evidence: [{ label: 'complaint:fees', utterance: 3, start: 0, end: 4 }],
    };
    // the model is sure of the complaint, unsure of any category: fees, not "other"
    const kept = combineWithModel(
      rules,
      conversation,
      model({}, { complaint: 0.9, 'complaint:fees': 0.01 }),
      policy(),
    );
    assert.deepEqual(kept.complaint.categories, ['fees']);
    assert.deepEqual(kept.evidence, rules.evidence);
    // the model names another category above the fallback threshold: that one replaces fees
    const replaced = combineWithModel(
      rules,
      conversation,
      model({}, { complaint: 0.9, 'complaint:fees': 0.01, 'complaint:wait_time': 0.5 }),
      policy({ categoryFallback: 0.4 }),
    );
    assert.deepEqual(replaced.complaint.categories, ['wait_time']);
  });

  it('drops a complaint the rules found when the model scores it below the veto everywhere', () => {
    const rules: Analysis = {
      ...emptyAnalysis('c1'),
      complaint: { is: true, categories: ['other'], escalation: ['media'] },
      evidence: [{ label: 'complaint:other', utterance: 3, start: 0, end: 3 }],
    };
    const result = combineWithModel(
      rules,
      conversation,
      model({ complaint: 0.01 }, { complaint: 0.02 }),
      policy(),
    );
    assert.deepEqual(result.complaint, { is: false, categories: [], escalation: [] });
    assert.deepEqual(result.evidence, []);
  });
});
