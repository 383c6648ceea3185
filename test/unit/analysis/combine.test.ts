import assert from 'node:assert/strict';
import { combineWithModel } from '../../../src/analysis/combine.js';
import { emptyAnalysis } from '../../../src/domain/analysis.js';
import type { Conversation } from '../../../src/domain/conversation.js';

const conversation: Conversation = {
  id: 'c1',
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  utterances: [
    { speaker: 'agent', text: '您好' },
    { speaker: 'customer', text: '我打了一上午电话都转不到人工' },
    { speaker: 'customer', text: '算了' },
  ],
};

const scores = (complaint: number, category?: [string, number]) => [
  { label: 'complaint', score: complaint },
  ...(category ? [{ label: category[0], score: category[1] }] : []),
  { label: 'need:deposit', score: 0.99 },
];
const negative = [null, -0.6, 0];
const neutral = [null, 0, 0];

describe('combineWithModel', () => {
  it('adds a complaint the rules missed when the model is very confident, with evidence on that utterance', () => {
    const model = [scores(0.97, ['complaint:wait_time', 0.8]), scores(0.2)];
    const result = combineWithModel(emptyAnalysis('c1'), conversation, [1, 2], model, negative);
    assert.deepEqual(result.complaint, { is: true, categories: ['wait_time'], escalation: [] });
    assert.deepEqual(result.evidence, [{ label: 'complaint:wait_time', utterance: 1, start: 0, end: 14 }]);
  });

  it('uses `other` when the category is not confident, and never adds needs from the model', () => {
    const model = [scores(0.95, ['complaint:fees', 0.3]), scores(0.1)];
    const result = combineWithModel(emptyAnalysis('c1'), conversation, [1, 2], model, negative);
    assert.deepEqual(result.complaint.categories, ['other']);
    assert.deepEqual(result.needs, []);
  });

  it('leaves the analysis alone below the threshold or when the rules already decided', () => {
    const low = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      [1, 2],
      [scores(0.85), scores(0.6)],
      negative,
    );
    assert.equal(low.complaint.is, false);
    const ruled = {
      ...emptyAnalysis('c1'),
      complaint: { is: true, categories: ['fees' as const], escalation: [] },
    };
    const model = [scores(0.99, ['complaint:wait_time', 0.9]), scores(0)];
    assert.equal(combineWithModel(ruled, conversation, [1, 2], model, negative), ruled);
  });

  it('ignores the model on an utterance the rules do not find negative', () => {
    const result = combineWithModel(
      emptyAnalysis('c1'),
      conversation,
      [1, 2],
      [scores(0.99), scores(0.99)],
      neutral,
    );
    assert.equal(result.complaint.is, false);
  });
});
