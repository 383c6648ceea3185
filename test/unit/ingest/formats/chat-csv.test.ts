import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { fixture, lines, parseFixture, parseText } from './fixture.js';

describe('chat CSV exports', () => {
  it('decodes a GBK file, groups rows by session and orders them by time', () => {
    assert.throws(
      () => new TextDecoder('utf-8', { fatal: true }).decode(fixture('chat-export-gbk.csv')),
      'the fixture must really be GBK',
    );
    const result = parseFixture('chat-export-gbk.csv', { defaults: {} });
    assert.equal(result.format, 'chat-csv');
    assert.deepEqual(result.issues, []);
    const [a, b] = result.conversations;
    assert.deepEqual(
      {
        id: a?.id,
        channel: a?.channel,
        startedAt: a?.startedAt,
        customerId: a?.customerId,
        agentId: a?.agentId,
      },
      {
        id: 'S20261105001',
        channel: 'chat',
        startedAt: '2026-11-05T10:00:02+08:00',
        customerId: 'cust-5001',
        agentId: 'a-21',
      },
    );
    assert.deepEqual(lines(result), [
      'system: 您好，欢迎咨询在线客服',
      'customer: 你好，我的信用卡被锁了',
      'agent: 您好，我是客服小王，请问是哪张卡呢？',
      'customer: 尾号8866的那张，昨天在京东白条还款后就锁了',
    ]);
    assert.deepEqual(
      a?.utterances.map((u) => u.startMs),
      [0, 3000, 38000, 68000],
    );
    assert.equal(b?.id, 'S20261105002');
    assert.equal(b?.utterances[0]?.text, '信用卡分期手续费怎么算？"免息"是真的吗');
  });

  it('reads English headers, a BOM, tabs, quoted line breaks (CJK joined without a space), and a file without a session column', () => {
    const csv =
      '\ufeffTime\tRole\tMessage\n2026-11-05 09:00:00\tcustomer\t"我想换\n外汇"\n2026-11-05 09:00:30\tagent\t好的\n';
    const result = parseText(csv, 'chat.tsv', { defaults: {} });
    assert.deepEqual(result.issues, []);
    assert.match(result.conversations[0]?.id ?? '', /^chat-[0-9a-f]{12}$/);
    assert.equal(result.conversations[0]?.startedAt, '2026-11-05T09:00:00+08:00');
    assert.deepEqual(lines(result), ['customer: 我想换外汇', 'agent: 好的']);
  });

  it('names the line and what was expected for bad rows, keeping the good ones', () => {
    const csv = [
      'session_id,timestamp,sender,content',
      'S1,2026-11-05 10:00:00,客户,你好',
      ',2026-11-05 10:00:01,客户,没有会话号',
      'S1,明天,客服,时间不对',
      'S1,2026-11-05 10:00:03,kf_zhang,您好',
      'S1,2026-11-05 10:00:04,客服,请问有什么可以帮您',
      'S1,2026-11-05 10:00:05,kf_zhang,在吗',
    ].join('\n');
    const result = parseText(csv, 'c.csv');
    assert.deepEqual(lines(result), ['customer: 你好', 'agent: 请问有什么可以帮您']);
    assert.deepEqual(result.issues, [
      {
        where: 'c.csv line 3',
        message: 'skipped: expected a conversation id (会话ID / session_id), got nothing',
      },
      {
        where: 'c.csv line 4',
        message:
          'skipped: time "明天" is not a time: expected e.g. 2026-11-01 10:00:05 or 2026-11-01T10:00:05+08:00',
      },
      {
        where: 'c.csv line 5',
        message:
          'skipped messages of sender "kf_zhang": expected a role such as 坐席/客服/agent, 客户/用户/customer or 机器人/系统/system, or a speaker mapping such as kf_zhang:agent',
      },
    ]);
    const mapped = parseText(csv, 'c.csv', { speakers: { map: { kf_zhang: 'agent' } } });
    assert.equal(lines(mapped).length, 4);
  });

  it('refuses a file whose header names no content or sender column', () => {
    assert.throws(
      () => parseText('a,b\n1,2\n', 'x.csv'),
      (err: unknown) =>
        err instanceof ParseFormatError &&
        err.issues[0]?.where === 'x.csv line 1' &&
        err.issues[0].message ===
          'expected a header row naming content (content/text/message/msg) and sender (sender/role/speaker/from) columns, got "a,b"',
    );
  });

  it('refuses CSV with an unclosed quote, naming the line', () => {
    assert.throws(
      () => parseText('会话ID,发送方,内容\nS1,客户,"你好\n', 'x.csv'),
      (err: unknown) =>
        err instanceof ParseFormatError &&
        err.issues[0]?.where === 'x.csv line 2' &&
        /Quote Not Closed/.test(err.issues[0].message),
    );
  });
});
