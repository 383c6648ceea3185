import assert from 'node:assert/strict';
import { lines, parseFixture, parseText } from './fixture.js';

describe('SRT subtitles', () => {
  it('reads prefixes and appends a cue without one to the previous speaker', () => {
    const result = parseFixture('call.srt');
    assert.equal(result.format, 'srt');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(lines(result), [
      'agent: 您好，很高兴为您服务',
      'customer: 我孩子明年去英国读书，想问一下境外汇款要准备什么材料',
      'agent: 需要录取通知书和护照，您可以在手机银行办理',
    ]);
    const customer = result.conversations[0]?.utterances[1];
    assert.deepEqual([customer?.startMs, customer?.endMs], [3100, 9500]);
  });

  it('names the cue with a bad time line', () => {
    const text =
      '1\n00:00:01,000 --> 00:00:02,000\n坐席：您好\n\n2\n1 second later\n客户：你好\n\n3\n00:00:05,000 --> 00:00:06,000\n客户：我要挂失\n';
    const result = parseText(text, 'a.srt');
    assert.deepEqual(result.issues, [
      {
        where: 'a.srt cue 2',
        message: 'skipped: expected a time line like 00:00:01,000 --> 00:00:04,000, got "1 second later"',
      },
    ]);
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 我要挂失']);
  });

  it('asks for speaker prefixes when no cue names one', () => {
    const text = '1\n00:00:01,000 --> 00:00:02,000\n您好\n\n2\n00:00:03,000 --> 00:00:04,000\n你好\n';
    const result = parseText(text, 'a.srt');
    assert.deepEqual(result.conversations, []);
    assert.match(result.issues[0]?.message ?? '', /^no speaker labels, .*"坐席：…"/);
  });
});
