/**
 * The behaviour every ConversationStore must have. Run against memory, SQLite and Elasticsearch by
 * the *.test.ts files beside it and in test/integration/.
 */
import assert from 'node:assert/strict';
import type { Channel } from '../../src/domain/conversation.js';
import { emptyAnalysis } from '../../src/domain/analysis.js';
import type { ProcessedConversation } from '../../src/domain/processed-conversation.js';
import { InvalidQueryError, StoreWriteError } from '../../src/storage/errors.js';
import type { ConversationQuery, ConversationStore } from '../../src/storage/types.js';
import { describeSearchContract } from './conversation-search.contract.js';
import { describeFacetContract } from './facet-search.contract.js';

export interface StoreFixture<T> {
  store: T;
  /** Deletes what the fixture created (temp file, indices). */
  dispose(): Promise<void>;
}

/** A processed conversation whose utterance i has tokens[i]. */
export function processedConversation(
  id: string,
  options: { startedAt?: string; channel?: Channel; tokens?: string[][]; customerId?: string } = {},
): ProcessedConversation {
  const tokens = options.tokens ?? [['你好']];
  return {
    conversation: {
      id,
      channel: options.channel ?? 'call',
      startedAt: options.startedAt ?? '2026-11-01T10:00:00+08:00',
      ...(options.customerId !== undefined ? { customerId: options.customerId } : {}),
      utterances: tokens.map((t, i) => ({ speaker: i % 2 === 0 ? 'agent' : 'customer', text: t.join('') })),
    },
    tokens,
    analysis: emptyAnalysis(id),
    versions: { pipeline: 'p1', taxonomy: 't1', dictionary: 'd1', model: 'm1' },
    processedAt: '2026-11-02T00:00:00Z',
  };
}

const SPECIAL_TOKENS = [
  'C++',
  '"引号"',
  "'",
  '"',
  'AND',
  'OR',
  'NOT',
  'NEAR',
  '*',
  '(',
  ')',
  ':',
  'title:x',
  '^',
  '-',
  '+',
  '\\',
  '/',
  '{',
  '}',
  '[',
  ']',
  '~',
  '?',
  '!',
  '&&',
  '||',
  '😀',
  '，',
  '。',
  '%',
  '3.5%',
  '_',
  '_63',
  'e-cny',
  'NEAR/2',
  '年费*',
  'ｅｔｃ',
];

export function describeConversationStoreContract(
  name: string,
  factory: () => Promise<StoreFixture<ConversationStore>>,
): void {
  describe(`ConversationStore contract: ${name}`, function () {
    let fixture: StoreFixture<ConversationStore>;
    let store: ConversationStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    describeSearchContract(() => store);
    describeFacetContract(() => store);

    async function put(...docs: ProcessedConversation[]): Promise<void> {
      await store.upsertMany(docs);
      await store.refresh();
    }
    async function ids(query: Partial<ConversationQuery>): Promise<string[]> {
      const page = await store.search({ tokens: [], sort: 'time', limit: 100, ...query });
      return page.hits.map((h) => h.id);
    }
    async function allPages(
      query: Omit<ConversationQuery, 'after'>,
    ): Promise<{ ids: string[]; pages: number }> {
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await store.search({ ...query, ...(after !== undefined ? { after } : {}) });
        pages++;
        assert.ok(page.hits.length <= query.limit);
        if (page.next !== undefined)
          assert.equal(page.hits.length, query.limit, 'a page with a next cursor is full');
        seen.push(...page.hits.map((h) => h.id));
        after = page.next;
        assert.ok(pages < 100, 'pagination does not terminate');
      } while (after !== undefined);
      return { ids: seen, pages };
    }

    it('starts empty', async () => {
      assert.equal(await store.count(), 0);
      const page = await store.search({ tokens: [], sort: 'time', limit: 10 });
      assert.equal(page.total, 0);
      assert.deepEqual(page.hits, []);
      assert.equal(page.next, undefined);
      await store.ping();
    });

    it('upserts by id: the same id twice counts once and the later version wins', async () => {
      await put(processedConversation('c1', { tokens: [['年费']] }));
      await put(processedConversation('c1', { tokens: [['利率']], channel: 'chat' }));
      await store.upsertMany([]);
      assert.equal(await store.count(), 1);
      assert.equal((await store.get('c1'))?.conversation.channel, 'chat');
      assert.deepEqual(await ids({ tokens: ['年费'] }), []);
      assert.deepEqual(await ids({ tokens: ['利率'] }), ['c1']);
      assert.deepEqual(await ids({ tokens: ['利率'], channel: 'chat' }), ['c1']);
    });

    it('never replaces a document with one of a lower upload sequence (the upload sent last wins)', async () => {
      const seq = 1_780_000_000_000_000;
      await put({ ...processedConversation('c1', { tokens: [['第二版']] }), uploadSeq: seq + 2 });
      await put({ ...processedConversation('c1', { tokens: [['第一版']] }), uploadSeq: seq + 1 });
      assert.deepEqual(await ids({ tokens: ['第二版'] }), ['c1']);
      assert.deepEqual(await ids({ tokens: ['第一版'] }), []);
      assert.equal((await store.get('c1'))?.uploadSeq, seq + 2);
      // The same sequence again (a correction, a re-analysis) is written.
      await put({ ...processedConversation('c1', { tokens: [['第二版', '改']] }), uploadSeq: seq + 2 });
      assert.deepEqual(await ids({ tokens: ['改'] }), ['c1']);
      await put({ ...processedConversation('c1', { tokens: [['第三版']] }), uploadSeq: seq + 3 });
      assert.deepEqual(await ids({ tokens: ['第三版'] }), ['c1']);
    });

    it('gets the stored document unchanged, and undefined for an unknown id', async () => {
      const doc = processedConversation('c-20261101-0001', {
        tokens: [
          ['您好', '很', '高兴'],
          ['你们', '的', '年费', '太贵', '了'],
        ],
        customerId: 'cust-1001',
      });
      doc.analysis.complaint = { is: true, categories: ['fees'], escalation: [] };
      doc.analysis.evidence = [{ label: 'complaint:fees', utterance: 1, start: 3, end: 5 }];
      await put(doc);
      assert.deepEqual(await store.get('c-20261101-0001'), doc);
      assert.equal(await store.get('missing'), undefined);
    });

    it('gets several documents in one read, in the order asked, undefined where absent', async () => {
      const a = processedConversation('c-many-a', { customerId: 'cust-1' });
      const b = processedConversation('c-many-b', { channel: 'chat' });
      await put(a, b);
      assert.deepEqual(await store.getMany(['c-many-b', 'missing', 'c-many-a', 'c-many-b']), [
        b,
        undefined,
        a,
        b,
      ]);
      assert.deepEqual(await store.getMany([]), []);
    });

    it('requires every query token (AND), across utterances', async () => {
      await put(
        processedConversation('a', { tokens: [['年费'], ['太贵']] }),
        processedConversation('b', { tokens: [['年费', '免除']] }),
        processedConversation('c', { tokens: [['太贵']] }),
      );
      assert.deepEqual(await ids({ tokens: ['年费', '太贵'] }), ['a']);
      assert.deepEqual((await ids({ tokens: ['年费'] })).sort(), ['a', 'b']);
      assert.deepEqual(await ids({ tokens: ['年费', '年费', '太贵'] }), ['a']);
      assert.deepEqual(await ids({ tokens: ['年费', '没有'] }), []);
    });

    it('matches whole Chinese tokens, case-insensitively for Latin letters', async () => {
      await put(
        processedConversation('whole', { tokens: [['大额存单', '利率', 'ETC']] }),
        processedConversation('split', { tokens: [['大额', '存单']] }),
      );
      assert.deepEqual(await ids({ tokens: ['大额存单'] }), ['whole']);
      assert.deepEqual(await ids({ tokens: ['大额'] }), ['split']);
      assert.deepEqual(await ids({ tokens: ['etc'] }), ['whole']);
      assert.deepEqual(await ids({ tokens: ['Etc', '利率'] }), ['whole']);
    });

    it('filters by inclusive date bounds, comparing instants across offsets', async () => {
      await put(
        processedConversation('d1', { startedAt: '2026-11-01T09:00:00+08:00' }), // 01:00Z
        processedConversation('d2', { startedAt: '2026-11-01T02:00:00Z' }),
        processedConversation('d3', { startedAt: '2026-11-01T12:00:00+08:00' }), // 04:00Z
      );
      assert.deepEqual(await ids({ from: '2026-11-01T01:00:00Z', to: '2026-11-01T10:00:00+08:00' }), [
        'd2',
        'd1',
      ]);
      assert.deepEqual(await ids({ from: '2026-11-01T10:00:00+08:00' }), ['d3', 'd2']);
      assert.deepEqual(await ids({ to: '2026-11-01T01:00:00.000Z' }), ['d1']);
      assert.deepEqual(await ids({ from: '2026-11-01T04:00:00.001Z' }), []);
    });

    it('filters by channel', async () => {
      await put(
        processedConversation('call-1', { channel: 'call', tokens: [['信用卡']] }),
        processedConversation('chat-1', { channel: 'chat', tokens: [['信用卡']] }),
      );
      assert.deepEqual(await ids({ channel: 'chat' }), ['chat-1']);
      assert.deepEqual(await ids({ channel: 'call', tokens: ['信用卡'] }), ['call-1']);
    });

    it('sorts by time: newest instant first, then id ascending', async () => {
      await put(
        processedConversation('t-b', { startedAt: '2026-11-01T10:00:00+08:00' }),
        processedConversation('t-a', { startedAt: '2026-11-01T02:00:00Z' }),
        processedConversation('t-c', { startedAt: '2026-11-01T03:00:00Z' }),
        processedConversation('t-d', { startedAt: '2026-10-31T23:59:59Z' }),
      );
      assert.deepEqual(await ids({}), ['t-c', 't-a', 't-b', 't-d']);
    });

    it('sorts by relevance: more occurrences in a shorter conversation rank first', async () => {
      const filler = Array.from({ length: 30 }, (_, i) => `词${i}`);
      await put(
        processedConversation('weak', { tokens: [['年费', ...filler]], startedAt: '2026-11-03T00:00:00Z' }),
        processedConversation('strong', {
          tokens: [['年费', '年费', '年费', '贵']],
          startedAt: '2026-11-01T00:00:00Z',
        }),
        processedConversation('none', { tokens: [['利率']] }),
      );
      const page = await store.search({ tokens: ['年费'], sort: 'relevance', limit: 10 });
      assert.deepEqual(
        page.hits.map((h) => h.id),
        ['strong', 'weak'],
      );
      assert.ok((page.hits[0]?.score ?? 0) > (page.hits[1]?.score ?? 0));
      assert.equal(page.total, 2);
    });

    for (const sort of ['time', 'relevance'] as const) {
      it(`pages through ${sort} results with a cursor, without duplicates or gaps`, async () => {
        const docs = Array.from({ length: 23 }, (_, i) =>
          processedConversation(`p-${String(i).padStart(2, '0')}`, {
            // Four distinct times and three distinct term frequencies: many ties to break by id.
            startedAt: `2026-11-0${1 + (i % 4)}T08:00:00+08:00`,
            channel: i % 5 === 0 ? 'chat' : 'call',
            tokens: [Array.from({ length: 1 + (i % 3) }, () => '理财'), ['产品']],
          }),
        );
        await put(...docs.reverse());
        const query: ConversationQuery = { tokens: ['理财'], sort, limit: 5 };
        const full = await store.search({ ...query, limit: 100 });
        assert.equal(full.total, 23);
        assert.equal(full.next, undefined);
        const paged = await allPages(query);
        assert.equal(paged.pages, 5);
        assert.deepEqual(
          paged.ids,
          full.hits.map((h) => h.id),
        );
        assert.equal(new Set(paged.ids).size, 23);
        const firstPage = await store.search(query);
        assert.notEqual(firstPage.next, undefined);
        const second = await store.search({ ...query, after: firstPage.next });
        assert.equal(second.total, 23, 'total counts every match, not what is left after the cursor');
        if (sort === 'time') {
          const expected = [...docs]
            .sort((a, b) => a.conversation.id.localeCompare(b.conversation.id))
            .sort((a, b) => Date.parse(b.conversation.startedAt) - Date.parse(a.conversation.startedAt))
            .map((d) => d.conversation.id);
          assert.deepEqual(paged.ids, expected);
        } else {
          const scores = full.hits.map((h) => h.score);
          assert.deepEqual(
            scores,
            [...scores].sort((a, b) => b - a),
          );
        }
        const everything = await allPages({ ...query, tokens: [], limit: 2 });
        assert.equal(everything.pages, 12);
        assert.equal(new Set(everything.ids).size, 23);
      });
    }

    it('treats an empty token list as match-all, for both sorts', async () => {
      await put(processedConversation('e1'), processedConversation('e2'), processedConversation('e3'));
      for (const sort of ['time', 'relevance'] as const) {
        const page = await store.search({ tokens: [], sort, limit: 2 });
        assert.equal(page.total, 3);
        assert.equal(page.hits.length, 2);
        assert.notEqual(page.next, undefined);
      }
      const countOnly = await store.search({ tokens: [], sort: 'time', limit: 0 });
      assert.equal(countOnly.total, 3);
      assert.deepEqual(countOnly.hits, []);
    });

    it('finds tokens with query-syntax and special characters literally, without throwing', async () => {
      await put(
        processedConversation('special', { tokens: [SPECIAL_TOKENS] }),
        processedConversation('plain-c', { tokens: [['c', 'e', 'cny', 'near', '年费']] }),
      );
      for (const token of SPECIAL_TOKENS) {
        const expected = token === 'NEAR' ? ['plain-c', 'special'] : ['special'];
        assert.deepEqual((await ids({ tokens: [token] })).sort(), expected, `token ${JSON.stringify(token)}`);
        await store.search({ tokens: [token, '年费'], sort: 'relevance', limit: 5 });
      }
      assert.deepEqual(await ids({ tokens: ['c'] }), ['plain-c']);
      assert.deepEqual(await ids({ tokens: ['"', "'", 'C++', '😀'] }), ['special']);
    });

    it('rejects invalid documents by id and still writes the valid ones', async () => {
      const bad = processedConversation('bad-date', { startedAt: 'yesterday' });
      await assert.rejects(store.upsertMany([processedConversation('good'), bad]), (error: unknown) => {
        assert.ok(error instanceof StoreWriteError);
        assert.deepEqual(error.failedIds, ['bad-date']);
        assert.match(error.message, /bad-date/);
        return true;
      });
      await store.refresh();
      assert.equal(await store.count(), 1);
      assert.notEqual(await store.get('good'), undefined);
    });

    it('rejects malformed queries and foreign cursors with InvalidQueryError', async () => {
      await put(processedConversation('q1'), processedConversation('q2'));
      const timePage = await store.search({ tokens: [], sort: 'time', limit: 1 });
      assert.notEqual(timePage.next, undefined);
      const bad: Partial<ConversationQuery>[] = [
        { after: 'not-a-cursor' },
        { after: timePage.next, sort: 'relevance' },
        { limit: -1 },
        { limit: 1.5 },
        { from: 'last week' },
      ];
      for (const query of bad) {
        await assert.rejects(
          store.search({ tokens: [], sort: 'time', limit: 10, ...query }),
          InvalidQueryError,
          JSON.stringify(query),
        );
      }
    });
  });
}
