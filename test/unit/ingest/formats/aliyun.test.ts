import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { lines, parseFixture, parseText } from './fixture.js';

const sentences = (list: object[]): string =>
  JSON.stringify({ TaskId: 't-1', StatusText: 'SUCCESS', Result: { Sentences: list } });

describe('Alibaba Cloud filetrans results', () => {
  it('orders the sentences of both channels by time; the first voice heard is the agent', () => {
    const result = parseFixture('aliyun-filetrans.json');
    assert.equal(result.format, 'aliyun');
    assert.deepEqual(result.issues, []);
    const [c] = result.conversations;
    assert.equal(c?.id, 'd429dd7dd75711e89305ab6170fe4a3c');
    assert.equal(c?.channel, 'call');
    assert.equal(c?.startedAt, '2026-11-01T09:00:00+08:00');
    assert.deepEqual(lines(result), [
      'agent: 您好，这里是客服中心，工号1207为您服务',
      'customer: 你好，我想问一下我的信用卡怎么被锁了',
      'agent: 好的，请您提供一下身份证后四位',
      'customer: 刚才转账一直提示失败，APP也登不上，我要转到建行去了',
    ]);
    assert.deepEqual([c?.utterances[0]?.startMs, c?.utterances[0]?.endMs], [300, 3800]);
  });

  it('lets an explicit mapping override the first-speaker convention', () => {
    const result = parseFixture('aliyun-filetrans.json', {
      speakers: { map: { '0': 'customer', '1': 'agent' } },
    });
    assert.equal(result.conversations[0]?.utterances[0]?.speaker, 'customer');
    const firstCustomer = parseFixture('aliyun-filetrans.json', { speakers: { firstSpeaker: 'customer' } });
    assert.equal(firstCustomer.conversations[0]?.utterances[0]?.speaker, 'customer');
  });

  it('uses SpeakerId when diarisation is on, and accepts the Result object alone', () => {
    const text = JSON.stringify({
      Sentences: [
        { Text: '您好', ChannelId: 0, SpeakerId: '1', BeginTime: 0, EndTime: 900 },
        { Text: '我想办分期', ChannelId: 0, SpeakerId: '2', BeginTime: 1000, EndTime: 2000 },
      ],
    });
    const result = parseText(text, 'result.json');
    assert.equal(result.format, 'aliyun');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 我想办分期']);
  });

  it('refuses a mono result without diarisation: one voice cannot be split into agent and customer', () => {
    const result = parseText(
      sentences([
        { Text: '您好', ChannelId: 0 },
        { Text: '我要投诉', ChannelId: 0 },
      ]),
      'mono.json',
    );
    assert.deepEqual(result.conversations, []);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0]?.where, 'mono.json');
    assert.match(
      result.issues[0]?.message ?? '',
      /only one voice \(speaker "0"\).*enable speaker diarisation.*0:customer/,
    );
  });

  it('reports a bad sentence by its path and keeps the others', () => {
    const text = sentences([
      { Text: '您好', ChannelId: 0, BeginTime: 0 },
      { Text: 42, ChannelId: 1 },
      { Text: '我的卡被锁了', ChannelId: 1, BeginTime: 'soon' },
      { Text: '你好', ChannelId: 1, BeginTime: 1000 },
    ]);
    const result = parseText(text, 'a.json');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 你好']);
    assert.deepEqual(result.issues, [
      { where: 'a.json $.Result.Sentences[1].Text', message: 'expected string, got 42' },
      {
        where: 'a.json $.Result.Sentences[2].BeginTime',
        message: 'expected milliseconds >= 0 as a number or numeric string, got "soon"',
      },
    ]);
  });

  it('refuses a file that is not a filetrans result, naming the task status', () => {
    assert.throws(
      () =>
        parseText(JSON.stringify({ TaskId: 't', StatusText: 'FILE_DOWNLOAD_FAILED' }), 'a.json', {
          format: 'aliyun',
        }),
      (err: unknown) =>
        err instanceof ParseFormatError &&
        err.issues[0]?.where === 'a.json $.Result.Sentences' &&
        /task status FILE_DOWNLOAD_FAILED\), got nothing$/.test(err.issues[0].message),
    );
  });
});
