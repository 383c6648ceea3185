import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { lines, parseFixture, parseText } from './fixture.js';

describe('Tencent Cloud recording recognition results', () => {
  it('reads ResultDetail with SpeakerId and times; the id adds the content hash to the TaskId', () => {
    const result = parseFixture('tencent-rec-task.json');
    assert.equal(result.format, 'tencent');
    assert.deepEqual(result.issues, []);
    const [c] = result.conversations;
    assert.match(c?.id ?? '', /^tencent-5237641904-[0-9a-f]{12}$/);
    assert.deepEqual(lines(result), [
      'agent: 您好，欢迎致电客户服务热线。',
      'customer: 我的房贷利率能不能降一点？',
      'customer: 工商银行那边给我报的是三点一。',
      'agent: 好的，我帮您登记一下转贷的需求。',
    ]);
    assert.deepEqual([c?.utterances[3]?.startMs, c?.utterances[3]?.endMs], [10200, 13600]);
  });

  it('accepts the Data object alone', () => {
    const data = {
      TaskId: 9,
      ResultDetail: [
        { FinalSentence: '您好', SpeakerId: 1, StartMs: 0, EndMs: 500 },
        { FinalSentence: '我要销户', SpeakerId: 0, StartMs: 600, EndMs: 1500 },
      ],
    };
    const result = parseText(JSON.stringify(data), 'data.json');
    assert.equal(result.format, 'tencent');
    assert.deepEqual(lines(result), ['agent: 您好', 'customer: 我要销户']);
  });

  it('falls back to the "[start,end,speaker]  text" lines of Result when ResultDetail is absent', () => {
    const Result =
      '[0:0.020,0:2.380,0]  您好，请讲。\n[0:2.900,1:06.100,1]  我想提高信用卡额度。\nnot a result line\n';
    const result = parseText(JSON.stringify({ Response: { Data: { TaskId: 1, Result } } }), 't.json');
    assert.deepEqual(lines(result), ['agent: 您好，请讲。', 'customer: 我想提高信用卡额度。']);
    assert.deepEqual(result.conversations[0]?.utterances[1]?.endMs, 66100);
    assert.deepEqual(result.issues, [
      {
        where: 't.json $.Response.Data.Result line 3',
        message: 'skipped: expected "[m:ss.mmm,m:ss.mmm,speaker]  text"',
      },
    ]);
  });

  it('reports a bad sentence by its path', () => {
    const data = {
      ResultDetail: [
        { FinalSentence: '您好', SpeakerId: 0 },
        { SpeakerId: 1 },
        { FinalSentence: '你好', SpeakerId: 1 },
      ],
    };
    const result = parseText(JSON.stringify({ Response: { Data: data } }), 't.json');
    assert.deepEqual(result.issues, [
      { where: 't.json $.Response.Data.ResultDetail[1].FinalSentence', message: 'missing: expected string' },
    ]);
    assert.equal(result.conversations[0]?.utterances.length, 2);
  });

  it('refuses a task that has not succeeded', () => {
    const text = JSON.stringify({
      Response: { Data: { TaskId: 1, Status: 3, StatusStr: 'failed', ErrorMsg: 'audio decode failed' } },
    });
    assert.throws(
      () => parseText(text, 't.json'),
      (err: unknown) =>
        err instanceof ParseFormatError &&
        /\(task status failed\), got nothing$/.test(err.issues[0]?.message ?? ''),
    );
  });
});
