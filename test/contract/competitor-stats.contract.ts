/**
 * CompetitorStatsStore on hand-counted conversations: every store must give these numbers, and every
 * number must be what the search with the same filters counts. Run against memory and SQLite here
 * (competitor-stats.test.ts) and against Elasticsearch in test/integration/competitor-report.test.ts.
 */
import assert from 'node:assert/strict';
import type { Channel } from '../../src/domain/conversation.js';
import type { CompetitorMention } from '../../src/domain/analysis.js';
import type { ProcessedConversation } from '../../src/domain/processed-conversation.js';
import type { CompetitorStatsStore, ConversationStore } from '../../src/storage/types.js';
import { processedConversation } from './conversation-store.contract.js';

export interface StatsFixture {
  conversations: ConversationStore;
  stats: CompetitorStatsStore;
  dispose(): Promise<void>;
}

const mention = (
  id: CompetitorMention['id'],
  aspects: CompetitorMention['aspects'] = [],
  switchingIntent = false,
) => ({
  id,
  aspects,
  switchingIntent,
});

function conv(
  id: string,
  startedAt: string,
  options: { channel?: Channel; customerId?: string; competitors?: CompetitorMention[]; sentiment?: number },
): ProcessedConversation {
  const d = processedConversation(id, {
    startedAt,
    channel: options.channel ?? 'call',
    ...(options.customerId ? { customerId: options.customerId } : {}),
  });
  d.analysis.competitors = options.competitors ?? [];
  d.analysis.sentiment = { customer: options.sentiment ?? 0 };
  return d;
}

/** ISO week 2026-W45 (Monday 2026-11-02 to Sunday 2026-11-08, Asia/Shanghai) and its edges. */
export const WEEK = { from: '2026-11-02T00:00:00.000+08:00', to: '2026-11-08T23:59:59.999+08:00' };

export const FIXTURE: ProcessedConversation[] = [
  conv('w1', '2026-11-02T10:00:00+08:00', {
    customerId: 'c1',
    competitors: [mention('cmb', ['rate'], true)],
    sentiment: -0.6,
  }),
  conv('w2', '2026-11-03T09:00:00+08:00', {
    customerId: 'c1',
    competitors: [mention('cmb', ['fee', 'rate'])],
    sentiment: 0.5,
  }),
  conv('w3', '2026-11-04T12:00:00+08:00', {
    channel: 'chat',
    customerId: 'c2',
    competitors: [mention('cmb'), mention('icbc', ['fee'])],
    sentiment: -0.25,
  }),
  // 23:30 on Sunday in Shanghai is 15:30 UTC: still week 45
  conv('w4', '2026-11-08T23:30:00+08:00', {
    customerId: 'c3',
    competitors: [mention('icbc', [], true)],
    sentiment: 0.35,
  }),
  conv('w5', '2026-11-05T08:00:00+08:00', {}),
  conv('out-after', '2026-11-09T00:10:00+08:00', { customerId: 'c1', competitors: [mention('cmb')] }),
  conv('out-before', '2026-11-01T23:59:00+08:00', { customerId: 'c4', competitors: [mention('icbc')] }),
];

export function describeCompetitorStatsContract(name: string, factory: () => Promise<StatsFixture>): void {
  describe(`CompetitorStatsStore contract: ${name}`, function () {
    let f: StatsFixture;
    before(async () => {
      f = await factory();
      await f.conversations.upsertMany(FIXTURE);
      await f.conversations.refresh();
    });
    after(() => f.dispose());

    it('counts conversations, customers, switching, aspects and sentiment per competitor', async () => {
      const stats = await f.stats.competitorStats({ ...WEEK, interval: 'day' });
      assert.equal(stats.conversations, 5);
      assert.deepEqual(stats.competitors, [
        {
          id: 'cmb',
          mentions: 3,
          customers: 2,
          switching: 1,
          // w3's fee belongs to icbc, but the search `competitor=cmb&aspect=fee` finds w3 too
          aspects: { rate: 2, fee: 2 },
          // (-0.6 + 0.5 - 0.25) / 3 = -0.1167; -0.25 is negative (at the threshold)
          sentimentMean: -0.12,
          negative: 2,
          positive: 1,
          trend: [
            { key: '2026-11-02', count: 1 },
            { key: '2026-11-03', count: 1 },
            { key: '2026-11-04', count: 1 },
          ],
        },
        {
          id: 'icbc',
          mentions: 2,
          customers: 2,
          switching: 1,
          aspects: { fee: 1 },
          sentimentMean: 0.05,
          negative: 1,
          positive: 1,
          trend: [
            { key: '2026-11-04', count: 1 },
            { key: '2026-11-08', count: 1 },
          ],
        },
      ]);
    });

    it('filters by channel and buckets by week without a trend when none is asked', async () => {
      const calls = await f.stats.competitorStats({ ...WEEK, channel: 'call' });
      assert.equal(calls.conversations, 4);
      assert.deepEqual(
        calls.competitors.map((c) => [c.id, c.mentions, c.customers, c.trend.length]),
        [
          ['cmb', 2, 1, 0],
          ['icbc', 1, 1, 0],
        ],
      );
      const weekly = await f.stats.competitorStats({ ...WEEK, interval: 'week' });
      assert.deepEqual(
        weekly.competitors.map((c) => c.trend),
        [[{ key: '2026-11-02', count: 3 }], [{ key: '2026-11-02', count: 2 }]],
      );
      const empty = await f.stats.competitorStats({
        from: '2027-01-01T00:00:00+08:00',
        to: '2027-01-07T00:00:00+08:00',
      });
      assert.deepEqual(empty, { conversations: 0, competitors: [] });
    });

    it('gives the numbers the search with the same filters shows', async () => {
      const stats = await f.stats.competitorStats(WEEK);
      const total = async (filters: object): Promise<number> =>
        (await f.conversations.search({ tokens: [], sort: 'time', limit: 0, ...WEEK, filters })).total;
      assert.equal(stats.conversations, await total({}));
      for (const row of stats.competitors) {
        assert.equal(row.mentions, await total({ competitors: [row.id] }));
        for (const [aspect, n] of Object.entries(row.aspects))
          assert.equal(n, await total({ competitors: [row.id], aspects: [aspect] }), `${row.id} ${aspect}`);
        assert.equal(row.negative, await total({ competitors: [row.id], sentimentMax: -0.25 }));
      }
    });
  });
}
