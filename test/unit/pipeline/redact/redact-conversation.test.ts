import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { Conversation } from '../../../../src/domain/conversation.js';
import { containsPii, redactConversation, redactText } from '../../../../src/pipeline/redact/index.js';
import { anyPii, renderOptions } from './pii-arbitraries.js';
import { readDigits, render } from './pii-render.js';

const conversation = (): Conversation => ({
  id: 'c-13812345678-20261101',
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  customerId: '13912345678',
  agentId: 'a-07',
  utterances: [
    { speaker: 'agent', text: '您好请问有什么可以帮您', startMs: 0, endMs: 1800 },
    {
      speaker: 'customer',
      text: '我的卡号六二二八四八零零一二三四五六七一被冻结了',
      startMs: 1900,
      endMs: 5200,
    },
    {
      speaker: 'customer',
      text: '手机一三九一二三四五六七八身份证110105199003071239',
      startMs: 5300,
      endMs: 9000,
    },
  ],
});

describe('redactConversation', () => {
  it('masks every utterance and the ids, counts what it masked, and leaves the input untouched', () => {
    const input = conversation();
    const before = structuredClone(input);
    const { conversation: out, found } = redactConversation(input);
    assert.deepEqual(input, before);
    assert.equal(out.id, 'c-*******5678-20261101');
    assert.equal(out.customerId, '*******5678');
    assert.equal(out.agentId, 'a-07');
    assert.equal(out.utterances[1]!.text, '我的卡号************五六七一被冻结了');
    assert.equal(out.utterances[2]!.text, '手机*******五六七八身份证**************1239');
    assert.deepEqual(
      out.utterances.map(({ speaker, startMs, endMs }) => ({ speaker, startMs, endMs })),
      before.utterances.map(({ speaker, startMs, endMs }) => ({ speaker, startMs, endMs })),
    );
    assert.equal(found, 5);
    assert.equal(containsPii(JSON.stringify(out)), false);
  });

  it('keeps absent optional ids absent and UUID ids as they are', () => {
    const bare = conversation();
    delete bare.customerId;
    delete bare.agentId;
    const uuid = '550e8400-e29b-41d4-a716-446655440000';
    const { conversation: out } = redactConversation({ ...bare, id: uuid });
    assert.equal(out.id, uuid);
    assert.ok(!('customerId' in out) && !('agentId' in out));
  });

  it('uses the pseudonymiser for ids holding personal data, so two customers never merge', () => {
    const key = 'test-secret';
    const pseudonymiseId = (original: string): string =>
      `p-${createHmac('sha256', key).update(original).digest('hex').slice(0, 16)}`;
    const a = redactConversation({ ...conversation(), customerId: '13912345678' }, { pseudonymiseId });
    const b = redactConversation({ ...conversation(), customerId: '13812345678' }, { pseudonymiseId });
    assert.match(a.conversation.customerId!, /^p-[0-9a-f]{16}$/);
    assert.notEqual(a.conversation.customerId, b.conversation.customerId);
    assert.equal(a.conversation.agentId, 'a-07'); // nothing personal: not pseudonymised
    // Masking alone would have merged them: this is why the option exists.
    assert.equal(redactText('13912345678').text, redactText('13812345678').text);
  });

  it('masks a number split over two utterances, with or without the agent acknowledging between', () => {
    const parts = fc.tuple(
      anyPii,
      renderOptions,
      fc.nat(),
      fc.constantFrom(null, '嗯', '好的，您继续', '对'),
    );
    fc.assert(
      fc.property(parts, ([pii, o, cut, ack]) => {
        const r = render(pii, o);
        // Split after a digit that ends a group (or anywhere, for an ungrouped number): never inside a
        // written digit (艾克斯, a pinyin word).
        const at = r.digitSpans[1 + (cut % (r.digitSpans.length - 2))]![1];
        const first = `卡号是${r.text.slice(0, at)}`;
        const second = `${r.text.slice(at)}你记一下`;
        const c: Conversation = {
          id: 'split-1',
          channel: 'call',
          startedAt: '2026-11-01T10:00:00+08:00',
          utterances: [
            { speaker: 'customer', text: first },
            ...(ack ? [{ speaker: 'agent' as const, text: ack }] : []),
            { speaker: 'customer', text: second },
          ],
        };
        const out = redactConversation(c).conversation.utterances;
        const shown = readDigits(out.map((u) => u.text).join(''));
        assert.ok(!shown.includes(pii.digits.slice(0, pii.digits.length - 4)), JSON.stringify(out));
        assert.ok(!readDigits(out[0]!.text).includes(pii.digits.slice(0, 5)), JSON.stringify(out));
        assert.ok(out.every((u, i) => u.text.length === c.utterances[i]!.text.length));
        if (ack) assert.equal(out[1]!.text, ack);
      }),
      { numRuns: 300 },
    );
  });
});

// Characters the scanner treats specially, mixed with ordinary text.
const alphabet = fc.constantFrom(
  ...'0123456789０１２３４５６７８９一二三四五六七八九零〇幺两洞拐勾壹貳參陸么叉Xx* -.,，、。()嗯那个就是对万千百个下第元号我的卡手机abc'.split(
    '',
  ),
  '艾克斯',
  '13812345678',
  '110105199003071239',
);

describe('redactText on arbitrary input', () => {
  it('keeps the length, only turns digit-like characters into *, and redacting twice changes nothing', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const out = redactText(text);
        assert.equal(out.text.length, text.length);
        for (let i = 0; i < text.length; i++) {
          if (out.text[i] !== text[i]) {
            assert.equal(out.text[i], '*');
            // Letters only as part of a spelled digit (ba, er: the alphabet holds a, b, c).
            assert.match(text[i]!, /[0-9０-９一二三四五六七八九零〇幺两洞拐勾壹貳參陸么叉Xx艾克斯a-c]/u);
          }
        }
        assert.equal(containsPii(text), out.found.length > 0);
        assert.deepEqual(redactText(out.text), { text: out.text, found: [] }, `${text} -> ${out.text}`);
      }),
      { numRuns: 2000 },
    );
  });
});
