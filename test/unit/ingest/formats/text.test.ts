import assert from 'node:assert/strict';
import { lines, parseFixture, parseText } from './fixture.js';

describe('plain-text transcripts', () => {
  it('reads several conversations separated by "===" with their header lines', () => {
    const result = parseFixture('call-transcript.txt', { defaults: {} });
    assert.equal(result.format, 'text');
    assert.deepEqual(result.issues, []);
    const [first, second] = result.conversations;
    assert.deepEqual(
      {
        id: first?.id,
        startedAt: first?.startedAt,
        customerId: first?.customerId,
        agentId: first?.agentId,
        channel: first?.channel,
      },
      {
        id: 'c-20261103-0001',
        startedAt: '2026-11-03T14:05:00+08:00',
        customerId: 'cust-3001',
        agentId: 'a-12',
        channel: 'call',
      },
    );
    assert.deepEqual(lines(result), [
      'agent: 您好，这里是信用卡中心，很高兴为您服务',
      'customer: 你好，我上个月的账单多扣了一笔年费就是那张白金卡，我记得说过首年免年费的',
      'agent: 好的，我帮您查询一下，请稍等',
      'customer: 你们再这样乱扣费我就打12378投诉了',
    ]);
    assert.deepEqual(
      first?.utterances.map((u) => u.startMs),
      [1000, 4000, 12000, 30000],
    );
    assert.equal(second?.id, 'c-20261103-0002');
    assert.deepEqual(lines(result, 1), [
      'agent: 您好，请问有什么可以帮您',
      'customer: 我想问一下大额存单的利率',
      'agent: 目前三年期是百分之一点九',
    ]);
  });

  it('reads a Traditional Chinese transcript and derives the id from the file name and content hash', () => {
    const result = parseFixture('call-transcript-hk.txt');
    assert.deepEqual(result.issues, []);
    const [conversation] = result.conversations;
    assert.match(conversation?.id ?? '', /^call-transcript-hk-[0-9a-f]{12}$/);
    assert.equal(conversation?.startedAt, '2026-11-01T09:00:00+08:00');
    assert.deepEqual(lines(result), [
      'agent: 您好，請問有什麼可以幫到您？',
      'customer: 我想問一下信用卡年費點解咁貴',
      'agent: 明白，我幫您查一下您的賬戶',
      'customer: 匯豐嘅卡唔使年費，如果你哋唔減免我就銷卡',
    ]);
  });

  it('derives the same id for the same bytes and numbers conversations without ids', () => {
    const text = '坐席：您好\n客户：我要投诉\n===\nagent: hello\ncustomer: 我想办信用卡\n';
    const a = parseText(text, 'batch.txt');
    const b = parseText(text, 'batch.txt');
    assert.deepEqual(
      a.conversations.map((c) => c.id),
      b.conversations.map((c) => c.id),
    );
    assert.match(a.conversations[0]?.id ?? '', /^batch-[0-9a-f]{12}-1$/);
    assert.match(a.conversations[1]?.id ?? '', /^batch-[0-9a-f]{12}-2$/);
  });

  it('starts a new conversation at a "# id:" header after utterances', () => {
    const text = '# id: a\n坐席：您好\n客户：你好\n# id: b\n客服：请讲\n用户：我想转贷\n';
    assert.deepEqual(
      parseText(text, 'x.txt').conversations.map((c) => c.id),
      ['a', 'b'],
    );
  });

  it('accepts bracketed labels, anonymous ASR voices and mapped names', () => {
    const text = '【坐席】您好\n[客户] 你好\n';
    assert.deepEqual(lines(parseText(text, 'x.txt')), ['agent: 您好', 'customer: 你好']);
    const voices = '说话人1：您好，请问有什么可以帮您\n说话人2：我的卡被冻结了\n';
    assert.deepEqual(lines(parseText(voices, 'x.txt')), [
      'agent: 您好，请问有什么可以帮您',
      'customer: 我的卡被冻结了',
    ]);
    const named = '张经理：您好\n王先生：我想提额\n';
    const mapped = parseText(named, 'x.txt', { speakers: { map: { 张经理: 'agent', 王先生: 'customer' } } });
    assert.deepEqual(lines(mapped), ['agent: 您好', 'customer: 我想提额']);
  });

  it('names the line of text before any speaker and of a bad header', () => {
    const text = '通话记录\n# startedAt: 昨天下午\n坐席：您好\n客户：你好\n# agentId: a-1\n';
    const result = parseText(text, 'x.txt');
    assert.deepEqual(result.issues, [
      {
        where: 'x.txt line 1',
        message:
          'ignored: expected a line starting with a speaker such as "坐席：" or "客户：" (optionally after a time like [00:01:02])',
      },
      {
        where: 'x.txt line 2',
        message:
          'startedAt "昨天下午" is not a time: expected e.g. 2026-11-01T10:00:00+08:00 or 2026-11-01 10:00:00',
      },
      {
        where: 'x.txt line 5',
        message:
          'header "agentId" after the first utterance is ignored: expected headers at the top of a conversation',
      },
    ]);
    assert.equal(result.conversations.length, 1);
  });

  it('asks for a start time when neither the file nor the caller gives one', () => {
    const result = parseText('坐席：您好\n客户：你好\n', 'x.txt', { defaults: {} });
    assert.deepEqual(result.conversations, []);
    assert.deepEqual(result.issues, [
      {
        where: 'x.txt',
        message:
          'the file carries no start time: pass one (API query startedAt=2026-11-01T10:00:00+08:00, CLI --started-at)',
      },
    ]);
  });

  it('reports a text file without any speaker line', () => {
    const result = parseText('今天天气不错\n', 'notes.txt');
    assert.deepEqual(result.conversations, []);
    assert.deepEqual(result.issues.at(-1), {
      where: 'notes.txt',
      message: 'no utterance found: expected lines such as "坐席：您好" and "客户：你好"',
    });
  });
});
