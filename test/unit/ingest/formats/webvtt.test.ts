import assert from 'node:assert/strict';
import { lines, parseFixture, parseText } from './fixture.js';

describe('WebVTT captions', () => {
  it('reads voice tags and prefixes, joins multi-line cues and skips NOTE blocks', () => {
    const result = parseFixture('call.vtt');
    assert.equal(result.format, 'webvtt');
    assert.deepEqual(result.issues, []);
    assert.deepEqual(lines(result), [
      'agent: 您好，信用卡中心，很高兴为您服务',
      'customer: 我想把这个月的账单分期，分十二期手续费多少？',
      'agent: 十二期的月手续费率是百分之零点六',
      'customer: 那比平安银行的贵啊',
    ]);
    const [first] = result.conversations[0]?.utterances ?? [];
    assert.deepEqual([first?.startMs, first?.endMs], [500, 3200]);
  });

  it('maps unknown voice names by the first-speaker convention, and times without hours', () => {
    const text =
      'WEBVTT\n\n00:01.000 --> 00:02.500\n<v.first 王丽>您好\n\n00:03.000 --> 00:04.000\n<v 张先生>我想开通手机银行 &amp; 网银\n';
    const result = parseText(text, 'x.vtt');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 我想开通手机银行 & 网银']);
    assert.equal(result.conversations[0]?.utterances[0]?.startMs, 1000);
  });

  it('names a cue whose timing line is broken and a missing header', () => {
    const text =
      '00:00:01.000 --> 00:00:02.000\n坐席：您好\n\n2\n00:00:03 -> 00:00:04\n客户：你好\n\n00:00:05.000 --> 00:00:06.000\n客户：我要办卡\n';
    const result = parseText(text, 'x.vtt');
    assert.deepEqual(result.issues, [
      { where: 'x.vtt line 1', message: 'expected the file to start with "WEBVTT"; reading the cues anyway' },
      {
        where: 'x.vtt cue 2 (line 4)',
        message: 'skipped: expected a timing line like 00:00:01.000 --> 00:00:04.000, got "2"',
      },
    ]);
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 我要办卡']);
  });
});
