/**
 * Competitor aggregations on Elasticsearch: a terms aggregation over the competitor label keys with
 * sub-aggregations (customers, sentiment, aspect and switching keys, trend). Distinct customers use
 * the cardinality aggregation at its highest precision threshold, which counts exactly (a set of
 * hashes) up to tens of thousands of customers per competitor and period.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { round2, emptyRow, isAspect, isCompetitorId, sortRows } from '../competitor-stats.js';
import { normaliseQuery } from '../search-query.js';
import {
  NEGATIVE_SENTIMENT,
  POSITIVE_SENTIMENT,
  type CompetitorStats,
  type CompetitorStatsQuery,
  type CompetitorStatsRow,
  type CompetitorStatsStore,
} from '../types.js';
import { request } from './client.js';

interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
}
interface CompetitorBucket extends Bucket {
  customers: { value: number };
  sentiment: { value: number | null };
  negative: { doc_count: number };
  positive: { doc_count: number };
  keys: { buckets: Bucket[] };
  trend?: { buckets: Bucket[] };
}

export class ElasticsearchCompetitorStats implements CompetitorStatsStore {
  constructor(
    private readonly client: Client,
    /** The conversations alias. */
    private readonly alias: string,
  ) {}

  async competitorStats(query: CompetitorStatsQuery): Promise<CompetitorStats> {
    const q = normaliseQuery({ tokens: [], sort: 'time', limit: 0, ...query });
    const filter: estypes.QueryDslQueryContainer[] = [
      { range: { startedAt: { gte: q.fromMs, lte: q.toMs, format: 'epoch_millis' } } },
    ];
    if (q.channel !== undefined) filter.push({ term: { channel: q.channel } });
    const sub: Record<string, estypes.AggregationsAggregationContainer> = {
      customers: { cardinality: { field: 'customerId', precision_threshold: 40000 } },
      sentiment: { sum: { field: 'sentiment' } },
      negative: { filter: { range: { sentiment: { lte: NEGATIVE_SENTIMENT } } } },
      positive: { filter: { range: { sentiment: { gte: POSITIVE_SENTIMENT } } } },
      keys: { terms: { field: 'labelKeys', include: '(aspect|switching):.*', size: 200 } },
    };
    if (query.interval !== undefined) {
      sub.trend = {
        date_histogram: {
          field: 'startedAt',
          calendar_interval: query.interval,
          time_zone: '+08:00',
          min_doc_count: 1,
          format: 'yyyy-MM-dd',
        },
      };
    }
    const response = await request('competitor stats', () =>
      this.client.search({
        index: this.alias,
        size: 0,
        track_total_hits: true,
        query: { bool: { filter } },
        aggs: {
          competitors: {
            terms: { field: 'labelKeys', include: 'competitor:.*', size: 200 },
            aggs: sub,
          },
        },
      }),
    );
    const total = response.hits.total;
    const aggs = response.aggregations as { competitors?: { buckets: CompetitorBucket[] } } | undefined;
    const rows: CompetitorStatsRow[] = [];
    for (const b of aggs?.competitors?.buckets ?? []) {
      const id = String(b.key).slice('competitor:'.length);
      if (!isCompetitorId(id)) continue;
      const row: CompetitorStatsRow = {
        ...emptyRow(id),
        mentions: b.doc_count,
        customers: b.customers.value,
        sentimentMean: round2((b.sentiment.value ?? 0) / b.doc_count),
        negative: b.negative.doc_count,
        positive: b.positive.doc_count,
        trend: (b.trend?.buckets ?? [])
          .filter((t) => t.doc_count > 0)
          .map((t) => ({ key: t.key_as_string ?? '', count: t.doc_count })),
      };
      for (const k of b.keys.buckets) {
        const key = String(k.key);
        if (key === `switching:${id}`) row.switching = k.doc_count;
        const aspect = key.slice('aspect:'.length);
        if (key.startsWith('aspect:') && isAspect(aspect)) row.aspects[aspect] = k.doc_count;
      }
      rows.push(row);
    }
    return {
      conversations: typeof total === 'number' ? total : (total?.value ?? 0),
      competitors: sortRows(rows),
    };
  }
}
