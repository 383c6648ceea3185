import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { COMPLAINT_CATEGORIES } from '../../../src/domain/labels.js';
import { COMPETITORS } from '../../../pipelines/demo-data/phrases/competitors.js';
import {
  generateConversations,
  generateDemoItems,
  type DemoItem,
} from '../../../pipelines/demo-data/generate.js';
import { isValidLuhn, isValidResidentId } from '../../../pipelines/demo-data/pii.js';
import { parseCli, writeNdjson } from '../../../pipelines/generate-demo-data.js';

const utterance = z.strictObject({
  speaker: z.enum(['agent', 'customer', 'system']),
  text: z.string().min(1),
  startMs: z.number().int().nonnegative().optional(),
  endMs: z.number().int().nonnegative().optional(),
});
const conversation = z.strictObject({
  id: z.string().regex(/^demo-\d+-\d+$/),
  channel: z.enum(['call', 'chat']),
  startedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
  customerId: z
    .string()
    .regex(/^cust-\d{6,}$/)
    .optional(),
  agentId: z.string().regex(/^a-\d{3}$/),
  utterances: z.array(utterance).min(3).max(14),
});

const N = 5000;
const share = (items: readonly DemoItem[], test: (i: DemoItem) => boolean) =>
  items.filter(test).length / items.length;
const customerText = (i: DemoItem) =>
  i.conversation.utterances.filter((u) => u.speaker === 'customer').map((u) => u.text);

describe('demo data generator', () => {
  let items: DemoItem[];
  before(() => {
    items = [...generateDemoItems({ count: N, seed: 42 })];
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = JSON.stringify([...generateConversations({ count: 300, seed: 7 })]);
    const b = JSON.stringify([...generateConversations({ count: 300, seed: 7 })]);
    const c = JSON.stringify([...generateConversations({ count: 300, seed: 8 })]);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(
      JSON.stringify(items.slice(0, 300).map((i) => i.conversation)),
      JSON.stringify([...generateConversations({ count: N, seed: 42 })].slice(0, 300)),
    );
  });

  it('yields valid native conversations: ids, greeting and closing, call timings, no times in chat', () => {
    items.forEach(({ conversation: c }, n) => {
      conversation.parse(c);
      assert.equal(c.id, `demo-42-${n}`);
      const agentLines = c.utterances.filter((u) => u.speaker === 'agent');
      assert.ok(agentLines.length >= 2, c.id);
      assert.equal(c.utterances.at(-1)?.speaker, 'agent', c.id);
      assert.ok(
        c.utterances.some((u) => u.speaker === 'customer'),
        c.id,
      );
      let last = -1;
      for (const u of c.utterances) {
        if (c.channel === 'chat') {
          assert.equal(u.startMs, undefined);
          continue;
        }
        assert.ok(
          u.startMs !== undefined && u.endMs !== undefined && u.startMs > last && u.endMs > u.startMs,
          c.id,
        );
        last = u.endMs;
      }
      if (c.channel === 'call')
        assert.ok(
          !/[,，。?？!！]/.test(c.utterances.map((u) => u.text).join('')),
          `${c.id}: ASR text has no punctuation`,
        );
    });
    const lengths = items.map((i) => i.conversation.utterances.length);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    assert.ok(mean > 6 && mean < 11, `mean length ${mean}`);
  });

  it('has the configured mix of topics', () => {
    const near = (name: string, actual: number, expected: number, tolerance: number) =>
      assert.ok(
        Math.abs(actual - expected) <= tolerance,
        `${name}: ${actual.toFixed(3)} not near ${expected}`,
      );
    near(
      'complaint',
      share(items, (i) => !!i.plan.complaint),
      0.25,
      0.03,
    );
    near(
      'competitor',
      share(items, (i) => i.plan.competitors.length > 0),
      0.2,
      0.03,
    );
    near(
      'need',
      share(items, (i) => i.plan.needs.length > 0),
      0.3,
      0.03,
    );
    near(
      'declined need',
      share(items, (i) => i.plan.declinedNeeds.length > 0),
      0.1,
      0.02,
    );
    near(
      'life event',
      share(items, (i) => i.plan.lifeEvents.length > 0),
      0.1,
      0.02,
    );
    near(
      'pii',
      share(items, (i) => i.plan.pii),
      0.03,
      0.012,
    );
    near(
      'negation',
      share(items, (i) => i.plan.negation),
      0.04,
      0.015,
    );
    near(
      'traditional',
      share(items, (i) => i.script !== 'simplified'),
      0.05,
      0.025,
    );
    near(
      'calls',
      share(items, (i) => i.conversation.channel === 'call'),
      0.65,
      0.03,
    );
    const complaints = items.filter((i) => i.plan.complaint);
    near(
      'escalation | complaint',
      share(complaints, (i) => !!i.plan.complaint?.escalation),
      0.2,
      0.05,
    );
    const rivals = items.filter((i) => i.plan.competitors.length > 0);
    near(
      'switching | competitor',
      share(rivals, (i) => i.plan.competitors.some((c) => c.switchingIntent)),
      0.3,
      0.06,
    );
    assert.ok(share(items, (i) => i.plan.serviceRequest) > 0.4, 'plenty of plain service requests');
    const categories = new Set(complaints.map((i) => i.plan.complaint?.category));
    assert.equal(categories.size, COMPLAINT_CATEGORIES.length);
    assert.ok(items.every((i) => !(i.plan.negation && i.plan.complaint)));
  });

  it('writes what it planned: competitors named by the customer, negations said', () => {
    const plainChats = items.filter((i) => i.conversation.channel === 'chat' && i.script === 'simplified');
    for (const item of plainChats) {
      const said = customerText(item).join('');
      for (const c of item.plan.competitors) {
        assert.ok(
          COMPETITORS[c.id].names.some((name) => said.includes(name)),
          `${item.conversation.id} names ${c.id}`,
        );
      }
      if (item.plan.negation) assert.match(said, /投诉/);
    }
  });

  it('speaks valid phone, card and ID numbers in several forms', () => {
    const withPii = items.filter((i) => i.pii);
    assert.ok(withPii.length > 50);
    assert.ok(
      new Set(withPii.map((i) => i.pii?.form)).size === 4,
      'digits, spaced, full-width and Chinese digits',
    );
    for (const item of withPii) {
      const pii = item.pii!;
      if (pii.kind === 'phone') assert.match(pii.value, /^1[3-9]\d{9}$/);
      if (pii.kind === 'card') assert.ok(isValidLuhn(pii.value), pii.value);
      if (pii.kind === 'id') assert.ok(isValidResidentId(pii.value), pii.value);
      assert.ok(
        customerText(item).some((t) => digitsOf(t).includes(pii.value)),
        `${item.conversation.id} says ${pii.value}`,
      );
    }
    assert.ok(isValidResidentId('11010519491231002X'));
    assert.ok(!isValidResidentId('110105194912310021'));
    assert.ok(isValidLuhn('4111111111111111') && !isValidLuhn('4111111111111112'));
  });

  it('writes Traditional characters for Hong Kong and Taiwan customers only', () => {
    const traditional =
      /[們這個說話銀錢轉賬費貸還額險務問題過時間電號碼開辦給讓認識關網點買會對發現裡後車沒業資產戶請謝種換匯國讀書兒結裝職經營貴態難線統閃驗證凍鎖騙訴監總體聽從來幾萬塊兩邊續單處員與動麼]/;
    const tw = items.filter((i) => i.script !== 'simplified');
    assert.ok(share(tw, (i) => customerText(i).some((t) => traditional.test(t))) > 0.8);
    const simplified = items.filter((i) => i.script === 'simplified');
    assert.ok(simplified.every((i) => !customerText(i).some((t) => traditional.test(t))));
  });

  it('spreads start times over the range, in opening hours, roughly in order', () => {
    const check = (from: string, to: string, list: readonly DemoItem[]) => {
      for (const { conversation: c } of list) {
        const t = Date.parse(c.startedAt);
        assert.ok(t >= Date.parse(from) && t < Date.parse(to), `${c.startedAt} outside ${from}..${to}`);
      }
    };
    check('2026-05-01T00:00:00+08:00', '2026-11-01T00:00:00+08:00', items);
    const hours = items.map(
      (i) =>
        Number(i.conversation.startedAt.slice(11, 13)) + Number(i.conversation.startedAt.slice(14, 16)) / 60,
    );
    assert.ok(hours.every((h) => h >= 8.5 && h < 20.5));
    const days = new Set(items.map((i) => i.conversation.startedAt.slice(0, 10)));
    assert.ok(days.size > 170, `${days.size} distinct days`);
    assert.ok(items[0]!.conversation.startedAt < items[N - 1]!.conversation.startedAt);
    const week = [...generateDemoItems({ count: 500, seed: 1, from: '2026-01-05', to: '2026-01-12' })];
    check('2026-01-05T00:00:00+08:00', '2026-01-12T00:00:00+08:00', week);
    const night = [
      ...generateDemoItems({
        count: 20,
        seed: 1,
        from: '2026-03-01T22:00:00+08:00',
        to: '2026-03-01T23:00:00+08:00',
      }),
    ];
    check('2026-03-01T22:00:00+08:00', '2026-03-01T23:00:00+08:00', night);
    assert.throws(
      () => [...generateConversations({ count: 1, from: '2026-02-01', to: '2026-01-01' })],
      /empty/,
    );
  });

  it('honours customers, agents and channels', () => {
    const list = [
      ...generateConversations({ count: 400, seed: 3, customers: 10, agents: 5, channels: ['chat'] }),
    ];
    assert.ok(list.every((c) => c.channel === 'chat'));
    assert.ok(list.every((c) => c.agentId !== undefined && Number(c.agentId.slice(2)) <= 5));
    const customers = new Set(list.flatMap((c) => (c.customerId ? [c.customerId] : [])));
    assert.ok(customers.size > 3 && customers.size <= 10);
    assert.ok(new Set(items.map((i) => i.conversation.customerId)).size > 500, 'many customers by default');
  });

  it('CLI: parses arguments and writes NDJSON', async () => {
    const { options, out } = parseCli([
      '--count',
      '25',
      '--seed',
      '9',
      '--channels',
      'call',
      '--out',
      'x.jsonl',
    ]);
    assert.deepEqual(options, { count: 25, seed: 9, channels: ['call'] });
    assert.equal(out, 'x.jsonl');
    assert.throws(() => parseCli(['--seed', '1']), /--count is required/);
    assert.throws(() => parseCli(['--count', 'ten']), /integer/);
    assert.throws(() => parseCli(['--count', '1', '--channels', 'email']), /channels/);
    let text = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    assert.equal(await writeNdjson(options, sink), 25);
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, 25);
    lines.forEach((line) => conversation.parse(JSON.parse(line)));
  });
});

/** The ASCII digits a customer line spells, however it spells them (OpenCC writes 幺 as 么). */
function digitsOf(text: string): string {
  const map: Record<string, string> = {
    零: '0',
    一: '1',
    幺: '1',
    么: '1',
    二: '2',
    三: '3',
    四: '4',
    五: '5',
    六: '6',
    七: '7',
    八: '8',
    九: '9',
    叉: 'X',
    Ｘ: 'X',
  };
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code >= 0xff10 && code <= 0xff19) out += String.fromCharCode(code - 0xfee0);
    else if (map[ch]) out += map[ch];
    else if (/[\dX]/.test(ch)) out += ch;
    else if (ch !== ' ') out += '|';
  }
  return out;
}
