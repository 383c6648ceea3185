import assert from 'node:assert/strict';
import { agentWord, modelInputs } from '../../../src/analysis/model-inputs.js';
import type { Conversation } from '../../../src/domain/conversation.js';

const conversation: Conversation = {
  id: 'c1',
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  utterances: [
    { speaker: 'agent', text: '您是想了解房贷吗' },
    { speaker: 'customer', text: '对对' },
    { speaker: 'customer', text: '嗯' },
    { speaker: 'agent', text: '好的' },
  ],
};
const tokens = [['您', '是', '想', '了解', '房贷', '吗'], ['对对'], [], ['好的']];

describe('modelInputs', () => {
  it('gives one text per customer utterance with words, by index', () => {
    const inputs = modelInputs(conversation, tokens);
    assert.deepEqual(inputs.utterances, [{ index: 1, text: '对对' }]);
    assert.equal(inputs.side, undefined, 'one customer utterance: the side is that utterance');
  });

  it('puts the agent turn before in a character range of its own', () => {
    const [first] = modelInputs(conversation, tokens, 'utterance+agent').utterances;
    const agentPart = ['您', '是', '想', '了解', '房贷', '吗'].map(agentWord).join(' ');
    assert.equal(first?.text, `${agentPart} 对对`);
    assert.ok(!first?.text.includes('房贷'), 'the agent 房贷 is not the customer 房贷');
    assert.equal([...agentWord('房贷')].length, 2);
    assert.equal(agentWord('ok 1'), '');
  });

  it('joins two or more customer utterances into the side, without agent words', () => {
    const two = modelInputs(
      { ...conversation, utterances: [...conversation.utterances, { speaker: 'customer', text: '谢谢' }] },
      [...tokens, ['谢谢']],
      'utterance+agent',
    );
    assert.equal(two.side, '对对 。 谢谢');
  });
});
