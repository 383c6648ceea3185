/** Competitor aggregations on the embedded store: GROUP BY over the label index (conversation_labels). */
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
import { guard, type SqliteDatabase } from './database.js';
import { bucketExpression, type Params } from './sqlite-search.js';

/** Conversations of the period naming a competitor: one row per (conversation, competitor). */
const MENTIONS = `SELECT c.seq AS seq, c.customer_id AS customer, c.sentiment AS sentiment,
    c.started_at_ms AS started_at_ms, substr(l.label, 12) AS cid
  FROM conversations c JOIN conversation_labels l ON l.seq = c.seq
  WHERE l.label >= 'competitor:' AND l.label < 'competitor;' AND PERIOD`;

export class SqliteCompetitorStats implements CompetitorStatsStore {
  constructor(private readonly db: SqliteDatabase) {}

  async competitorStats(query: CompetitorStatsQuery): Promise<CompetitorStats> {
    const q = normaliseQuery({ tokens: [], sort: 'time', limit: 0, ...query });
    const params: Params = {
      fromMs: q.fromMs ?? 0,
      toMs: q.toMs ?? 0,
      neg: NEGATIVE_SENTIMENT,
      pos: POSITIVE_SENTIMENT,
    };
    let period = 'c.started_at_ms >= @fromMs AND c.started_at_ms <= @toMs';
    if (q.channel !== undefined) {
      period += ' AND c.channel = @channel';
      params.channel = q.channel;
    }
    const mentions = `(${MENTIONS.replace('PERIOD', period)})`;
    return guard(this.db, () => {
      const all = <T>(sql: string): T[] => this.db.prepare<Params, T>(sql).all(params);
      const total = all<{ n: number }>(`SELECT count(*) AS n FROM conversations c WHERE ${period}`)[0];
      const rows = new Map<string, CompetitorStatsRow>();
      for (const r of all<{ cid: string; n: number; customers: number; s: number; neg: number; pos: number }>(
        `SELECT cid, count(*) AS n, count(DISTINCT customer) AS customers, sum(sentiment) AS s,
           sum(sentiment <= @neg) AS neg, sum(sentiment >= @pos) AS pos FROM ${mentions} GROUP BY cid`,
      )) {
        if (!isCompetitorId(r.cid)) continue;
        rows.set(r.cid, {
          ...emptyRow(r.cid),
          mentions: r.n,
          customers: r.customers,
          sentimentMean: round2(r.s / r.n),
          negative: r.neg,
          positive: r.pos,
        });
      }
      for (const r of all<{ cid: string; label: string; n: number }>(
        `SELECT m.cid AS cid, l.label AS label, count(*) AS n FROM ${mentions} m
           JOIN conversation_labels l ON l.seq = m.seq
           WHERE (l.label >= 'aspect:' AND l.label < 'aspect;') OR l.label = 'switching:' || m.cid
           GROUP BY m.cid, l.label`,
      )) {
        const row = rows.get(r.cid);
        if (row === undefined) continue;
        if (r.label.startsWith('switching:')) row.switching = r.n;
        const aspect = r.label.slice('aspect:'.length);
        if (r.label.startsWith('aspect:') && isAspect(aspect)) row.aspects[aspect] = r.n;
      }
      if (query.interval !== undefined) {
        const bucket = bucketExpression(query.interval).replaceAll('c.started_at_ms', 'm.started_at_ms');
        for (const r of all<{ cid: string; key: string; n: number }>(
          `SELECT m.cid AS cid, ${bucket} AS key, count(*) AS n FROM ${mentions} m GROUP BY m.cid, key ORDER BY key`,
        )) {
          rows.get(r.cid)?.trend.push({ key: r.key, count: r.n });
        }
      }
      return { conversations: total?.n ?? 0, competitors: sortRows([...rows.values()]) };
    });
  }
}
