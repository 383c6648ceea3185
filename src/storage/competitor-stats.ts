/**
 * The competitor aggregations every store must agree on, computed in plain JavaScript from documents:
 * the reference semantics (memory store) and the helpers the SQLite and Elasticsearch versions share.
 */
import { ASPECTS, COMPETITOR_IDS, type Aspect, type CompetitorId } from '../domain/labels.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import { bucketKey, histogram } from './memory/memory-search.js';
import { parseInstant } from './search-query.js';
import { labelKeys } from './text-query.js';
import {
  NEGATIVE_SENTIMENT,
  POSITIVE_SENTIMENT,
  type CompetitorStats,
  type CompetitorStatsQuery,
  type CompetitorStatsRow,
} from './types.js';

export const round2 = (x: number): number => Math.round(x * 100) / 100 + 0;

export function isCompetitorId(value: string): value is CompetitorId {
  return (COMPETITOR_IDS as readonly string[]).includes(value);
}

export function isAspect(value: string): value is Aspect {
  return (ASPECTS as readonly string[]).includes(value);
}

/** Orders rows as every store does: mentions desc, then id. */
export function sortRows(rows: CompetitorStatsRow[]): CompetitorStatsRow[] {
  return rows.sort((a, b) => b.mentions - a.mentions || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The reference computation over the conversations of the period (already filtered by time and channel). */
export function computeCompetitorStats(
  docs: readonly ProcessedConversation[],
  query: CompetitorStatsQuery,
): CompetitorStats {
  interface Acc {
    row: CompetitorStatsRow;
    customers: Set<string>;
    sentiment: number;
    instants: number[];
  }
  const acc = new Map<CompetitorId, Acc>();
  for (const doc of docs) {
    const keys = new Set(labelKeys(doc));
    const sentiment = doc.analysis.sentiment.customer;
    for (const key of keys) {
      if (!key.startsWith('competitor:')) continue;
      const id = key.slice('competitor:'.length);
      if (!isCompetitorId(id)) continue;
      let a = acc.get(id);
      if (a === undefined) {
        a = {
          row: emptyRow(id),
          customers: new Set(),
          sentiment: 0,
          instants: [],
        };
        acc.set(id, a);
      }
      const r = a.row;
      r.mentions++;
      if (doc.conversation.customerId !== undefined) a.customers.add(doc.conversation.customerId);
      if (keys.has(`switching:${id}`)) r.switching++;
      for (const k of keys) {
        const aspect = k.startsWith('aspect:') ? k.slice('aspect:'.length) : '';
        if (isAspect(aspect)) r.aspects[aspect] = (r.aspects[aspect] ?? 0) + 1;
      }
      a.sentiment += sentiment;
      if (sentiment <= NEGATIVE_SENTIMENT) r.negative++;
      if (sentiment >= POSITIVE_SENTIMENT) r.positive++;
      a.instants.push(parseInstant(doc.conversation.startedAt) ?? 0);
    }
  }
  const rows = [...acc.values()].map((a) => ({
    ...a.row,
    customers: a.customers.size,
    sentimentMean: round2(a.sentiment / a.row.mentions),
    trend: query.interval === undefined ? [] : histogram(a.instants, query.interval),
  }));
  return { conversations: docs.length, competitors: sortRows(rows) };
}

export function emptyRow(id: CompetitorId): CompetitorStatsRow {
  return {
    id,
    mentions: 0,
    customers: 0,
    switching: 0,
    aspects: {},
    sentimentMean: 0,
    negative: 0,
    positive: 0,
    trend: [],
  };
}

export { bucketKey };
