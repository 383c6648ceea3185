import assert from 'node:assert/strict';
import { lines, parseFixture, parseText } from './fixture.js';

describe('Whisper and WhisperX results', () => {
  it('reads diarised WhisperX segments, seconds to milliseconds', () => {
    const result = parseFixture('whisperx.json');
    assert.equal(result.format, 'whisper');
    assert.deepEqual(result.issues, []);
    const [c] = result.conversations;
    assert.match(c?.id ?? '', /^whisperx-[0-9a-f]{12}$/);
    assert.deepEqual(lines(result).slice(0, 2), [
      'agent: 您好,这里是理财服务专线,请问有什么可以帮您?',
      'customer: 我去年买的那个理财亏了百分之八,当时你们没说有风险啊',
    ]);
    assert.deepEqual([c?.utterances[0]?.startMs, c?.utterances[0]?.endMs], [31, 2874]);
  });

  it('refuses plain Whisper output without speakers instead of guessing who spoke', () => {
    const text = JSON.stringify({
      text: '您好 我要投诉',
      segments: [
        { start: 0, end: 1.2, text: ' 您好' },
        { start: 1.5, end: 3, text: ' 我要投诉' },
      ],
      language: 'zh',
    });
    const result = parseText(text, 'plain.json', { speakers: { firstSpeaker: 'agent' } });
    assert.deepEqual(result.conversations, []);
    assert.deepEqual(result.issues, [
      {
        where: 'plain.json',
        message:
          'no speaker labels, so agent and customer cannot be told apart: run WhisperX with diarisation (whisperx --diarize) so every segment carries "speaker", or convert the transcript to text with 坐席：/客户： prefixes',
      },
    ]);
  });

  it('skips, with an issue, a segment WhisperX could not attribute', () => {
    const segments = [
      { start: 0, end: 1, text: '您好', speaker: 'SPEAKER_00' },
      { start: 1.2, end: 1.5, text: '嗯' },
      { start: 2, end: 3, text: '我想买黄金', speaker: 'SPEAKER_01' },
    ];
    const result = parseText(JSON.stringify({ segments }), 'wx.json');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 我想买黄金']);
    assert.equal(result.issues[0]?.where, 'wx.json $.segments[1]');
    assert.match(result.issues[0]?.message ?? '', /^skipped: no speaker label/);
  });

  it('does not let an unattributed first segment decide who the agent is', () => {
    const segments = [
      { start: 0, end: 0.5, text: '喂' },
      { start: 1, end: 2, text: '您好，请问有什么可以帮您', speaker: 'SPEAKER_01' },
      { start: 2, end: 3, text: '我的卡丢了', speaker: 'SPEAKER_00' },
    ];
    const result = parseText(JSON.stringify({ segments }), 'wx.json');
    assert.deepEqual(lines(result), ['agent: 您好，请问有什么可以帮您', 'customer: 我的卡丢了']);
    const oneVoice = parseText(JSON.stringify({ segments: segments.slice(0, 2) }), 'wx.json');
    assert.deepEqual(oneVoice.conversations, []);
    assert.match(oneVoice.issues[0]?.message ?? '', /^only one voice \(speaker "SPEAKER_01"\)/);
  });

  it('accepts a bare array of segments and names a bad time', () => {
    const segments = [
      { start: 0, end: 1, text: '您好', speaker: 'A' },
      { start: -1, end: 2, text: '你好', speaker: 'B' },
      { start: 3, end: 4, text: '请问', speaker: 'B' },
    ];
    const result = parseText(JSON.stringify(segments), 'wx.json');
    assert.equal(result.format, 'whisper');
    assert.deepEqual(result.issues, [
      { where: 'wx.json $[1].start', message: 'expected seconds >= 0 as a number or numeric string, got -1' },
    ]);
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 请问']);
  });
});
