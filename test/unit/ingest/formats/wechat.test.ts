import assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/ingest/formats/index.js';
import { fixture, lines, parseFixture, parseText } from './fixture.js';

describe('wechat-kf (微信客服 kf/sync_msg)', () => {
  it('detects the response and reads customers (origin 3) and agents (origin 5), dropping events and media', () => {
    const result = parseFixture('wechat-kf-sync-msg.json');
    assert.equal(result.format, 'wechat-kf');
    assert.deepEqual(result.issues, []);
    assert.equal(result.conversations.length, 2);
    const [first, second] = result.conversations;
    assert.deepEqual(
      [
        first?.id,
        first?.channel,
        first?.startedAt,
        first?.customerId,
        first?.agentId,
        first?.startedAtSource,
      ],
      [
        'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q-wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw-1762135230',
        'chat',
        '2025-11-03T10:00:30+08:00',
        'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
        'a-0731',
        undefined,
      ],
    );
    assert.deepEqual(lines(result), [
      'customer: 我的信用卡年费怎么又扣了，说好的刷满六次免年费',
      'agent: 您好，麻烦提供一下预留手机号，我帮您查询年费减免的达标情况',
      'customer: 13812345678，再这样我就把卡销了，去招行办一张',
    ]);
    assert.equal(second?.agentId, 'a-0815');
    assert.equal(detectFormat(fixture('wechat-kf-sync-msg.json').toString(), 'sync.json'), 'wechat-kf');
  });

  it('reads pages pulled one after another, a bare msg_list, system messages and menus; enter_session starts a new conversation', () => {
    const message = (time: number, origin: number, body: object) => ({
      open_kfid: 'wk1',
      external_userid: 'wm1',
      send_time: time,
      origin,
      ...body,
    });
    const enter = {
      msgtype: 'event',
      origin: 4,
      send_time: 1762135500,
      event: { event_type: 'enter_session', open_kfid: 'wk1', external_userid: 'wm1' },
    };
    const pages = [
      { errcode: 0, msg_list: [message(1762135200, 3, { msgtype: 'text', text: { content: '你好' } })] },
      {
        errcode: 0,
        msg_list: [
          message(1762135260, 5, {
            msgtype: 'msgmenu',
            msgmenu: {
              head_content: '请选择：',
              list: [
                { type: 'click', click: { id: '1', content: '信用卡' } },
                { type: 'click', click: { id: '2', content: '理财' } },
              ],
            },
          }),
          enter,
          message(1762135560, 3, { msgtype: 'text', text: { content: '又是我' } }),
          message(1762135570, 4, { msgtype: 'text', text: { content: '会话已转人工' } }),
        ],
      },
    ];
    const result = parseText(JSON.stringify(pages), 'pages.json');
    assert.equal(result.format, 'wechat-kf');
    assert.deepEqual(
      result.conversations.map((c) => [c.id, c.agentId]),
      [
        ['wk1-wm1-1762135200', 'wk1'],
        ['wk1-wm1-1762135560', 'wk1'],
      ],
    );
    assert.deepEqual(lines(result, 0), ['customer: 你好', 'agent: 请选择：信用卡、理财']);
    assert.deepEqual(lines(result, 1), ['customer: 又是我', 'system: 会话已转人工']);
    const bare = parseText(JSON.stringify(pages[0]!.msg_list), 'list.json');
    assert.equal(bare.format, 'wechat-kf');
    assert.equal(bare.conversations.length, 1);
  });

  it('reports a message without its ids or with an unknown origin', () => {
    const result = parseText(
      JSON.stringify({
        msg_list: [
          {
            open_kfid: 'wk1',
            external_userid: 'wm1',
            send_time: 1762135200,
            origin: 3,
            msgtype: 'text',
            text: { content: '你好' },
          },
          {
            open_kfid: 'wk1',
            send_time: 1762135201,
            origin: 3,
            msgtype: 'text',
            text: { content: '丢了客户' },
          },
          {
            open_kfid: 'wk1',
            external_userid: 'wm1',
            send_time: 1762135202,
            origin: 7,
            msgtype: 'text',
            text: { content: '?' },
          },
        ],
      }),
      'kf.json',
    );
    assert.deepEqual(
      result.issues.map((i) => i.where),
      ['kf.json $.msg_list[1]', 'kf.json $.msg_list[2]'],
    );
    assert.match(result.issues[1]!.message, /origin 3 \(customer\), 4 \(system\) or 5 \(agent\)/);
  });
});

describe('wecom-archive (企业微信 会话内容存档)', () => {
  it('detects decrypted messages one per line; external contacts are customers, members agents; switch, recall and media dropped', () => {
    const result = parseFixture('wecom-archive.jsonl');
    assert.equal(result.format, 'wecom-archive');
    assert.deepEqual(result.issues, []);
    const [c] = result.conversations;
    assert.deepEqual(
      [c?.id, c?.startedAt, c?.customerId, c?.agentId],
      [
        'wecom-a-0512-wmErxtDgAA9AW32YyyuYRimKr7D1KWlw-1762218000',
        '2025-11-04T09:00:00.123+08:00',
        'wmErxtDgAA9AW32YyyuYRimKr7D1KWlw',
        'a-0512',
      ],
    );
    assert.deepEqual(
      lines(result).map((l) => l.split(':')[0]),
      ['customer', 'agent', 'customer', 'agent'],
    );
  });

  it('reads a JSON array and a single message, a group chat as one conversation, and splits a chat after a long pause', () => {
    const msg = (time: number, from: string, text: string, roomid = '') => ({
      msgid: `m${time}`,
      action: 'send',
      from,
      tolist: from.startsWith('wm') ? ['zhangsan'] : ['wmC1'],
      roomid,
      msgtime: time,
      msgtype: 'text',
      text: { content: text },
    });
    const t0 = 1762218000000;
    const hour = 3600_000;
    const result = parseText(
      JSON.stringify([
        msg(t0, 'wmC1', '你好'),
        msg(t0 + 60_000, 'zhangsan', '您好'),
        msg(t0 + 5 * hour, 'wmC1', '我又来了'),
        msg(t0 + 10, 'wmC2', '群里问一下', 'wrRoom1'),
        msg(t0 + 20, 'wbBot', '机器人回复', 'wrRoom1'),
      ]),
      'archive.json',
    );
    assert.equal(result.format, 'wecom-archive');
    assert.deepEqual(
      result.conversations.map((c) => c.id),
      [
        `wecom-wmC1-zhangsan-${t0 / 1000}`,
        `wecom-wmC1-zhangsan-${(t0 + 5 * hour) / 1000}`,
        `wecom-wrRoom1-${t0 / 1000}`,
      ],
    );
    assert.deepEqual(lines(result, 2), ['customer: 群里问一下', 'system: 机器人回复']);
    const single = parseText(JSON.stringify(msg(t0, 'wmC1', '你好'), null, 2), 'one.json');
    assert.equal(single.format, 'wecom-archive');
    assert.equal(single.conversations[0]?.utterances.length, 1);
  });
});
