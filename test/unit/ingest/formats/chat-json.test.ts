import assert from 'node:assert/strict';
import { ParseFormatError } from '../../../../src/ingest/formats/index.js';
import { lines, parseFixture, parseText } from './fixture.js';

describe('chat JSON exports', () => {
  it('reads sessions with their messages ordered by time', () => {
    const result = parseFixture('chat-sessions.json', { defaults: {} });
    assert.equal(result.format, 'chat-json');
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
        id: 'WX-20261107-7781',
        channel: 'chat',
        startedAt: '2026-11-07T20:15:01+08:00',
        customerId: 'cust-7781',
        agentId: 'a-15',
      },
    );
    assert.equal(lines(result)[0], 'system: 您好，我是智能客服，请问有什么可以帮您？');
    assert.deepEqual(lines(result, 1), ['customer: 黄金积存金现在能买吗', 'agent: 可以的，起购是1克']);
    assert.equal(b?.startedAt, '2026-11-07T21:02:00+08:00');
  });

  it('groups a flat array of messages by session id', () => {
    const messages = [
      { sessionId: 'A', time: 1794016800, sender: '客户', content: '我想提额' },
      { sessionId: 'B', time: 1794016900, sender: '用户', content: '怎么注销信用卡' },
      { sessionId: 'A', time: 1794016860, sender: '客服', content: '好的，我帮您看一下' },
    ];
    const result = parseText(JSON.stringify(messages), 'msgs.json');
    assert.equal(result.format, 'chat-json');
    assert.deepEqual(
      result.conversations.map((c) => c.id),
      ['A', 'B'],
    );
    assert.deepEqual(lines(result), ['customer: 我想提额', 'agent: 好的，我帮您看一下']);
    assert.equal(result.conversations[0]?.startedAt, '2026-11-07T10:00:00+08:00');
  });

  it('reads a single session object and uses defaults.startedAt when messages carry no time', () => {
    const result = parseText(
      JSON.stringify({
        id: 'S',
        messages: [
          { role: 'customer', text: '你好' },
          { role: 'agent', text: '您好' },
        ],
      }),
      's.json',
    );
    assert.equal(result.conversations[0]?.startedAt, '2026-11-01T09:00:00+08:00');
    assert.deepEqual(lines(result), ['customer: 你好', 'agent: 您好']);
  });

  it('names bad messages and sessions by their path', () => {
    const doc = {
      sessions: [
        {
          id: 'S1',
          messages: [
            { sender: 'customer', content: '你好' },
            'hello',
            { sender: 'agent', content: { text: '您好' } },
          ],
        },
        { id: 'S2' },
      ],
    };
    const result = parseText(JSON.stringify(doc), 'x.json');
    assert.deepEqual(result.issues, [
      {
        where: 'x.json $.sessions[0].messages[1]',
        message: 'skipped: expected a message object { "time", "sender", "content" }, got "hello"',
      },
      {
        where: 'x.json $.sessions[1]',
        message: 'skipped: expected a session { "id", "messages": [ … ] }, got an object',
      },
      {
        where: 'x.json $.sessions[0].messages[2]',
        message: 'skipped: expected message text (content/内容), got an object',
      },
    ]);
    assert.equal(result.conversations.length, 1);
  });

  it('refuses JSON of another shape', () => {
    assert.throws(
      () => parseText('{"foo": 1}', 'x.json', { format: 'chat-json' }),
      (err: unknown) =>
        err instanceof ParseFormatError && /^expected \{ "sessions"/.test(err.issues[0]?.message ?? ''),
    );
  });
});
