import assert from 'node:assert/strict';
import {
  buildUtterances,
  type BuildOptions,
  type Fragment,
} from '../../../../src/ingest/formats/utterance-builder.js';

const options: BuildOptions = { mapping: {}, firstSpeakerRule: true, speakerHint: 'diarise' };
const f = (
  speaker: string | undefined,
  text: string,
  startMs?: number,
  extra: Partial<Fragment> = {},
): Fragment => ({
  where: `w${startMs ?? ''}`,
  text,
  ...(speaker !== undefined ? { speaker } : {}),
  ...(startMs !== undefined ? { startMs } : {}),
  ...extra,
});
const roles = (fragments: Fragment[], opts: Partial<BuildOptions> = {}): string[] =>
  buildUtterances(fragments, 'conv', { ...options, ...opts }).utterances.map((u) => `${u.speaker}:${u.text}`);

describe('the shared utterance builder', () => {
  it('makes the first voice heard the agent and every other voice the customer', () => {
    assert.deepEqual(roles([f('1', '我要投诉', 900), f('0', '您好', 100), f('2', '我是她家人', 1500)]), [
      'agent:您好',
      'customer:我要投诉',
      'customer:我是她家人',
    ]);
  });

  it('honours firstSpeaker, an explicit map, and a named opener', () => {
    assert.deepEqual(roles([f('A', '喂', 0), f('B', '您好', 1)], { mapping: { firstSpeaker: 'customer' } }), [
      'customer:喂',
      'agent:您好',
    ]);
    assert.deepEqual(roles([f('1', '喂', 0), f('0', '您好', 1)], { mapping: { map: { '1': 'customer' } } }), [
      'customer:喂',
      'agent:您好',
    ]);
    const ivr = [f('IVR', '欢迎致电', 0, { role: 'system' }), f('X', '您好', 1), f('Y', '你好', 2)];
    assert.deepEqual(roles(ivr), ['system:欢迎致电', 'agent:您好', 'customer:你好']);
  });

  it('normalises text, drops empty pieces and merges word fragments only when asked', () => {
    const words = [
      f('a', ' 您  好 ', 0),
      f('a', '', 1),
      f('a', 'Apple', 2),
      f('a', 'Pay', 3),
      f('b', '嗯', 4),
    ];
    assert.deepEqual(roles(words), ['agent:您好', 'agent:Apple', 'agent:Pay', 'customer:嗯']);
    assert.deepEqual(roles(words, { merge: true }), ['agent:您好Apple Pay', 'customer:嗯']);
  });

  it('refuses a conversation of one unnamed voice but accepts it when the voice is mapped', () => {
    const one = [f('0', '您好', 0), f('0', '我要销户', 1)];
    const { utterances, issues } = buildUtterances(one, 'conv', options);
    assert.deepEqual(utterances, []);
    assert.equal(issues[0]?.where, 'conv');
    assert.match(issues[0]?.message ?? '', /^only one voice \(speaker "0"\)/);
    assert.deepEqual(roles(one, { mapping: { map: { '0': 'customer' } } }), [
      'customer:您好',
      'customer:我要销户',
    ]);
  });

  it('without the first-speaker rule, reports each unknown sender once and skips its messages', () => {
    const chat = [f('客户', '你好', 0, { role: 'customer' }), f('kf01', '您好', 1), f('kf01', '请讲', 2)];
    const { utterances, issues } = buildUtterances(chat, 'conv', { ...options, firstSpeakerRule: false });
    assert.deepEqual(
      utterances.map((u) => u.text),
      ['你好'],
    );
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.where, 'w1');
  });

  it('keeps endMs only when it is not before startMs', () => {
    const [u] = buildUtterances(
      [f('a', '您好', 500, { endMs: 100 }), f('b', '你好', 600)],
      'c',
      options,
    ).utterances;
    assert.deepEqual(u, { speaker: 'agent', text: '您好', startMs: 500 });
  });
});
