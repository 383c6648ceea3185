import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { lines, parseFixture, parseText } from './fixture.js';

const word = (content: string, start?: number, extra: object = {}): object =>
  start === undefined
    ? { type: 'punctuation', alternatives: [{ confidence: '0.0', content }] }
    : {
        type: 'pronunciation',
        start_time: start.toFixed(2),
        end_time: (start + 0.3).toFixed(2),
        alternatives: [{ confidence: '0.99', content }],
        ...extra,
      };

describe('Amazon Transcribe results', () => {
  it('joins word items into one utterance per speaker turn, without spaces between Chinese words', () => {
    const result = parseFixture('aws-transcribe.json');
    assert.equal(result.format, 'aws-transcribe');
    assert.deepEqual(result.issues, []);
    const [c] = result.conversations;
    assert.equal(c?.id, 'call-20261104-0931-a07');
    assert.deepEqual(lines(result), [
      'agent: 您好请问有什么可以帮您？',
      'customer: 我想换美元，孩子要出国读书。',
      'agent: 好的，购汇额度是5万美元。',
    ]);
    assert.deepEqual([c?.utterances[1]?.startMs, c?.utterances[1]?.endMs], [2900, 6000]);
  });

  it('reads audio_segments when present, removing the spaces AWS puts between Chinese characters', () => {
    const results = {
      audio_segments: [
        {
          id: 0,
          transcript: '您 好 ， 请 问 有 什 么 可 以 帮 您 ？',
          start_time: '0.2',
          end_time: '2.1',
          speaker_label: 'spk_0',
          items: [0],
        },
        {
          id: 1,
          transcript: '我 的 Visa 卡 在 国 外 被 盗 刷 了',
          start_time: '2.5',
          end_time: '5.0',
          speaker_label: 'spk_1',
          items: [1],
        },
      ],
      items: [],
    };
    const result = parseText(JSON.stringify({ jobName: 'j-1', status: 'COMPLETED', results }), 'aws.json');
    assert.deepEqual(lines(result), [
      'agent: 您好，请问有什么可以帮您？',
      'customer: 我的 Visa 卡在国外被盗刷了',
    ]);
    assert.deepEqual(result.conversations[0]?.utterances[1]?.startMs, 2500);
  });

  it('takes speakers from speaker_labels.segments when the items carry none', () => {
    const results = {
      speaker_labels: {
        segments: [
          {
            speaker_label: 'spk_1',
            start_time: '0.00',
            end_time: '0.30',
            items: [{ start_time: '0.00', speaker_label: 'spk_1' }],
          },
          {
            speaker_label: 'spk_0',
            start_time: '1.00',
            end_time: '1.60',
            items: [
              { start_time: '1.00', speaker_label: 'spk_0' },
              { start_time: '1.30', speaker_label: 'spk_0' },
            ],
          },
        ],
      },
      items: [word('您好', 0), word('。'), word('我要', 1), word('投诉', 1.3)],
    };
    const result = parseText(JSON.stringify({ results }), 'r.json', { format: 'aws-transcribe' });
    assert.deepEqual(lines(result), ['agent: 您好。', 'customer: 我要投诉']);
  });

  it('reads channel identification output, interleaving the channels by time', () => {
    const results = {
      channel_labels: {
        channels: [
          { channel_label: 'ch_0', items: [word('您好', 0), word('请讲', 2)] },
          { channel_label: 'ch_1', items: [word('你好', 1), word('我要', 3), word('转贷', 3.3)] },
        ],
        number_of_channels: 2,
      },
      items: [word('您好', 0), word('你好', 1), word('请讲', 2), word('我要', 3), word('转贷', 3.3)],
    };
    const result = parseText(JSON.stringify({ jobName: 'j', results }), 'ch.json');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 你好', 'agent: 请讲', 'customer: 我要转贷']);
  });

  it('asks for speaker partitioning when nothing tells the voices apart', () => {
    const result = parseText(
      JSON.stringify({ jobName: 'j', results: { items: [word('您好', 0), word('你好', 1)] } }),
      'x.json',
    );
    assert.deepEqual(result.conversations, []);
    assert.match(result.issues[0]?.message ?? '', /^no speaker labels, .*ShowSpeakerLabels/);
  });

  it('reports a bad item by its path and refuses a job without results', () => {
    const items = [
      word('您好', 0, { speaker_label: 'spk_0' }),
      { type: 'pronunciation', alternatives: [] },
      word('你好', 1, { speaker_label: 'spk_1' }),
    ];
    const result = parseText(JSON.stringify({ jobName: 'j', results: { items } }), 'x.json');
    assert.deepEqual(result.issues, [
      {
        where: 'x.json $.results.items[1].alternatives',
        message: 'expected at least one alternative, got an array of 0',
      },
    ]);
    assert.throws(
      () => parseText(JSON.stringify({ jobName: 'j', status: 'FAILED', results: {} }), 'x.json'),
      (err: unknown) =>
        err instanceof ParseFormatError && /\(job status FAILED\)/.test(err.issues[0]?.message ?? ''),
    );
  });
});
