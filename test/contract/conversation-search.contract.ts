/**
 * Search semantics every ConversationStore must share: text expressions per utterance, speaker
 * scope, filters on labels, facets and the date histogram. Called from the store contract.
 */
import assert from 'node:assert/strict';
import type { Analysis } from '../../src/domain/analysis.js';
import type { ProcessedConversation } from '../../src/domain/processed-conversation.js';
import type { ConversationQuery, ConversationStore, TextQuery } from '../../src/storage/types.js';
import { processedConversation } from './conversation-store.contract.js';

type Options = Parameters<typeof processedConversation>[1] & {
  agentId?: string;
  analysis?: Partial<Analysis>;
};

/** Utterance i is spoken by the agent when i is even, by the customer when odd. */
function doc(id: string, options: Options = {}): ProcessedConversation {
  const d = processedConversation(id, options);
  if (options.agentId !== undefined) d.conversation.agentId = options.agentId;
  d.analysis = { ...d.analysis, ...options.analysis };
  return d;
}

const phrase = (...tokens: string[]): TextQuery => ({ kind: 'phrase', tokens });

export function describeSearchContract(getStore: () => ConversationStore): void {
  describe('search expressions, filters and aggregations', () => {
    async function put(...docs: ProcessedConversation[]): Promise<void> {
      await getStore().upsertMany(docs);
      await getStore().refresh();
    }
    async function ids(query: Partial<ConversationQuery>): Promise<string[]> {
      const page = await getStore().search({ tokens: [], sort: 'time', limit: 100, ...query });
      return page.hits.map((h) => h.id).sort();
    }

    it('matches a query word inside one utterance, whatever the segmentation', async () => {
      await put(
        doc('seg', { tokens: [['您好'], ['网银', '登', '不', '上去']] }),
        doc('split', {
          tokens: [
            ['我', '登'],
            ['不', '上'],
          ],
        }),
        doc('whole', { tokens: [['客服'], ['登不上']] }),
      );
      assert.deepEqual(await ids({ text: phrase('登', '不', '上') }), ['seg', 'whole']);
      assert.deepEqual(await ids({ text: phrase('登不上') }), ['seg', 'whole']);
      assert.deepEqual(await ids({ text: phrase('网银登') }), ['seg']);
      assert.deepEqual(await ids({ text: phrase('上', '登') }), []);
    });

    it('combines AND, OR and NOT over the whole conversation', async () => {
      await put(
        doc('a', { tokens: [['年费'], ['太贵']] }),
        doc('b', { tokens: [['年费', '减免']] }),
        doc('c', { tokens: [['利率']] }),
      );
      const fee = phrase('年费');
      assert.deepEqual(await ids({ text: { kind: 'and', children: [fee, phrase('太贵')] } }), ['a']);
      assert.deepEqual(await ids({ text: { kind: 'or', children: [phrase('太贵'), phrase('利率')] } }), [
        'a',
        'c',
      ]);
      assert.deepEqual(
        await ids({ text: { kind: 'and', children: [fee, { kind: 'not', child: phrase('减免') }] } }),
        ['a'],
      );
      assert.deepEqual(await ids({ text: { kind: 'not', child: fee } }), ['c']);
      assert.deepEqual(await ids({ text: { kind: 'and', children: [phrase(' '), phrase('')] } }), [
        'a',
        'b',
        'c',
      ]);
    });

    it('finds two words within a distance, in either order, never across utterances', async () => {
      await put(
        doc('close', { tokens: [['问'], ['手续费', '也', '太', '高', '了']] }),
        doc('reversed', { tokens: [['问'], ['高', '的', '手续费']] }),
        doc('far', { tokens: [['问'], ['手续费', '我', '觉得', '真的', '高']] }),
        doc('apart', { tokens: [['手续费'], ['高']] }),
      );
      const near = (distance: number): TextQuery => ({
        kind: 'near',
        left: ['手续费'],
        right: ['高'],
        distance,
      });
      assert.deepEqual(await ids({ text: near(2) }), ['close', 'reversed']);
      assert.deepEqual(await ids({ text: near(1) }), ['reversed']);
      assert.deepEqual(await ids({ text: near(6) }), ['close', 'far', 'reversed']);
    });

    it('limits a word to what the customer or the agent said', async () => {
      await put(
        doc('agent-says', { tokens: [['理财', '产品'], ['好']] }),
        doc('customer-says', { tokens: [['您好'], ['想', '买', '理财']] }),
      );
      const scoped = (scope: 'customer' | 'agent' | 'all'): TextQuery => ({
        kind: 'phrase',
        tokens: ['理财'],
        scope,
      });
      assert.deepEqual(await ids({ text: scoped('customer') }), ['customer-says']);
      assert.deepEqual(await ids({ text: scoped('agent') }), ['agent-says']);
      assert.deepEqual(await ids({ text: scoped('all') }), ['agent-says', 'customer-says']);
      const near: TextQuery = { kind: 'near', left: ['想'], right: ['理财'], distance: 1, scope: 'agent' };
      assert.deepEqual(await ids({ text: near }), []);
    });

    it('filters by agent, customer, label dimensions, sentiment and length', async () => {
      await put(
        doc('fees', {
          agentId: 'a-011',
          customerId: 'cust-1',
          tokens: [['a'], ['b'], ['c']],
          analysis: {
            complaint: { is: true, categories: ['fees'], escalation: ['regulator'] },
            sentiment: { customer: -0.8 },
          },
        }),
        doc('switch', {
          agentId: 'a-012',
          analysis: {
            competitors: [{ id: 'alipay', aspects: ['rate'], switchingIntent: true }],
            needs: ['deposit'],
            lifeEvents: ['marriage'],
            sentiment: { customer: 0.2 },
          },
        }),
        doc('plain', {
          agentId: 'a-001',
          analysis: { competitors: [{ id: 'cmb', aspects: ['fee'], switchingIntent: false }] },
        }),
      );
      assert.deepEqual(await ids({ filters: { agentIds: ['a-011', 'a-012'] } }), ['fees', 'switch']);
      assert.deepEqual(await ids({ filters: { customerIds: ['cust-1'] } }), ['fees']);
      assert.deepEqual(await ids({ filters: { complaint: true } }), ['fees']);
      assert.deepEqual(await ids({ filters: { complaintCategories: ['fees', 'wait_time'] } }), ['fees']);
      assert.deepEqual(await ids({ filters: { escalations: ['regulator'] } }), ['fees']);
      assert.deepEqual(await ids({ filters: { competitors: ['alipay', 'cmb'] } }), ['plain', 'switch']);
      assert.deepEqual(await ids({ filters: { competitors: ['alipay', 'cmb'], aspects: ['fee'] } }), [
        'plain',
      ]);
      assert.deepEqual(await ids({ filters: { switchingIntent: true } }), ['switch']);
      assert.deepEqual(await ids({ filters: { switchingIntent: false } }), ['fees', 'plain']);
      assert.deepEqual(await ids({ filters: { needs: ['deposit'], lifeEvents: ['marriage'] } }), ['switch']);
      assert.deepEqual(await ids({ filters: { needs: ['deposit'], lifeEvents: ['retirement'] } }), []);
      assert.deepEqual(await ids({ filters: { sentimentMax: -0.5 } }), ['fees']);
      assert.deepEqual(await ids({ filters: { sentimentMin: 0, sentimentMax: 0.5 } }), ['plain', 'switch']);
      assert.deepEqual(await ids({ filters: { minUtterances: 2 } }), ['fees']);
      assert.deepEqual(await ids({ filters: { maxUtterances: 1 } }), ['plain', 'switch']);
    });

    it('counts facets and a date histogram in Asia/Shanghai over every match', async () => {
      await put(
        // 2026-11-01 is a Sunday; 23:30 UTC on Nov 1 is Monday Nov 2 in Shanghai.
        doc('h1', {
          startedAt: '2026-11-01T10:00:00+08:00',
          agentId: 'a-001',
          analysis: { needs: ['deposit'] },
        }),
        doc('h2', {
          startedAt: '2026-11-01T23:30:00Z',
          agentId: 'a-002',
          channel: 'chat',
          analysis: {
            needs: ['deposit', 'insurance'],
            competitors: [{ id: 'cmb', aspects: ['rate'], switchingIntent: true }],
          },
        }),
        doc('h3', {
          startedAt: '2026-12-03T09:00:00+08:00',
          agentId: 'a-001',
          analysis: { complaint: { is: true, categories: ['fees'], escalation: [] } },
        }),
      );
      const search = (histogram: 'day' | 'week' | 'month'): ReturnType<ConversationStore['search']> =>
        getStore().search({ tokens: [], sort: 'time', limit: 1, facets: true, histogram });
      const page = await search('day');
      assert.equal(page.total, 3);
      assert.equal(page.hits.length, 1);
      assert.deepEqual(page.histogram, [
        { key: '2026-11-01', count: 1 },
        { key: '2026-11-02', count: 1 },
        { key: '2026-12-03', count: 1 },
      ]);
      assert.deepEqual((await search('week')).histogram, [
        { key: '2026-10-26', count: 1 },
        { key: '2026-11-02', count: 1 },
        { key: '2026-11-30', count: 1 },
      ]);
      assert.deepEqual((await search('month')).histogram, [
        { key: '2026-11-01', count: 2 },
        { key: '2026-12-01', count: 1 },
      ]);
      const facets = page.facets;
      assert.ok(facets !== undefined);
      assert.deepEqual(facets.need, [
        { value: 'deposit', count: 2 },
        { value: 'insurance', count: 1 },
      ]);
      assert.deepEqual(facets.competitor, [{ value: 'cmb', count: 1 }]);
      assert.deepEqual(facets.aspect, [{ value: 'rate', count: 1 }]);
      assert.deepEqual(facets.switchingIntent, [{ value: 'cmb', count: 1 }]);
      assert.deepEqual(facets.complaintCategory, [{ value: 'fees', count: 1 }]);
      assert.deepEqual(facets.escalation, []);
      assert.deepEqual(facets.channel, [
        { value: 'call', count: 2 },
        { value: 'chat', count: 1 },
      ]);
      assert.deepEqual(facets.agent, [
        { value: 'a-001', count: 2 },
        { value: 'a-002', count: 1 },
      ]);
      const narrowed = await getStore().search({
        tokens: [],
        sort: 'time',
        limit: 5,
        facets: true,
        filters: { needs: ['insurance'] },
      });
      assert.deepEqual(narrowed.facets?.agent, [{ value: 'a-002', count: 1 }]);
      assert.equal(narrowed.histogram, undefined);
    });

    it('pages through text matches by relevance without duplicates, more matches first', async () => {
      const docs = Array.from({ length: 13 }, (_, i) =>
        doc(`r-${String(i).padStart(2, '0')}`, {
          startedAt: `2026-11-0${1 + (i % 3)}T08:00:00+08:00`,
          tokens: [['客服'], ...Array.from({ length: 1 + (i % 3) }, () => ['余额宝', '收益'])],
        }),
      );
      docs.push(doc('many', { tokens: [['余额宝'], ['余额宝'], ['余额宝'], ['余额宝']] }));
      await put(...docs);
      const query: ConversationQuery = { tokens: [], text: phrase('余额宝'), sort: 'relevance', limit: 4 };
      const full = await getStore().search({ ...query, limit: 100 });
      assert.equal(full.total, 14);
      assert.equal(full.hits[0]?.id, 'many');
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await getStore().search({ ...query, ...(after !== undefined ? { after } : {}) });
        seen.push(...page.hits.map((h) => h.id));
        after = page.next;
      } while (after !== undefined);
      assert.deepEqual(
        seen,
        full.hits.map((h) => h.id),
      );
    });

    it('matches special characters and Latin words literally in text expressions', async () => {
      await put(
        doc('sym', { tokens: [['ETC', '卡', '3.5%', 'C++', '"', 'NEAR']] }),
        doc('other', { tokens: [['etcetera', '卡']] }),
      );
      assert.deepEqual(await ids({ text: phrase('etc', '卡') }), ['sym']);
      assert.deepEqual(await ids({ text: phrase('3.5%') }), ['sym']);
      assert.deepEqual(await ids({ text: phrase('c++', '"', 'near') }), ['sym']);
      assert.deepEqual(await ids({ text: phrase('"') }), ['sym']);
      assert.deepEqual(await ids({ text: { kind: 'near', left: ['etc'], right: ['near'], distance: 10 } }), [
        'sym',
      ]);
    });
  });
}
