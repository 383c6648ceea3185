/**
 * Full-text expressions, filters and aggregations evaluated in plain JavaScript: the reference
 * semantics the contract suite holds SQLite and Elasticsearch to.
 */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import {
  AGENT_FACET_SIZE,
  FACET_NAMES,
  FACET_SIZE,
  LABEL_DIMENSIONS,
  labelKeyGroups,
  labelKeys,
  speakerField,
  type ConversationFilters,
  type FacetCounts,
  type FacetName,
  type HistogramBucket,
  type HistogramInterval,
  type SpeakerScope,
  type TextQuery,
} from '../text-query.js';
import { compareCodePoints } from '../search-query.js';

export interface IndexedUtterance {
  field: 'customer' | 'agent' | 'other';
  units: string[];
}

/** Number of utterances in which each positive leaf matched; undefined when the expression fails. */
export function evaluateText(query: TextQuery, utterances: IndexedUtterance[]): number | undefined {
  switch (query.kind) {
    case 'phrase':
    case 'near': {
      const n = utterances.filter((u) => inScope(u, query.scope) && leafMatches(query, u.units)).length;
      return n > 0 ? n : undefined;
    }
    case 'and': {
      let sum = 0;
      for (const child of query.children) {
        const n = evaluateText(child, utterances);
        if (n === undefined) return undefined;
        sum += n;
      }
      return sum;
    }
    case 'or': {
      let sum: number | undefined;
      for (const child of query.children) {
        const n = evaluateText(child, utterances);
        if (n !== undefined) sum = (sum ?? 0) + n;
      }
      return sum;
    }
    case 'not':
      return evaluateText(query.child, utterances) === undefined ? 0 : undefined;
  }
}

function inScope(u: IndexedUtterance, scope: SpeakerScope | undefined): boolean {
  return scope === undefined || scope === 'all' || u.field === scope;
}

function leafMatches(leaf: TextQuery & { kind: 'phrase' | 'near' }, units: string[]): boolean {
  if (leaf.kind === 'phrase') return occurrences(units, leaf.tokens).length > 0;
  const left = occurrences(units, leaf.left);
  const right = occurrences(units, leaf.right);
  // Units strictly between the two phrases, in either order (span_near / FTS5 NEAR semantics).
  return left.some((l) =>
    right.some((r) => {
      const gap = l < r ? r - (l + leaf.left.length) : l - (r + leaf.right.length);
      return gap >= 0 && gap <= leaf.distance;
    }),
  );
}

function occurrences(units: string[], phrase: string[]): number[] {
  const starts: number[] = [];
  for (let i = 0; i + phrase.length <= units.length; i++) {
    if (phrase.every((p, j) => units[i + j] === p)) starts.push(i);
  }
  return starts;
}

/** Whether a conversation passes every filter. */
export function passesFilters(
  doc: ProcessedConversation,
  keys: Set<string>,
  filters: ConversationFilters | undefined,
): boolean {
  if (filters === undefined) return true;
  const c = doc.conversation;
  const f = filters;
  if (f.agentIds?.length && !f.agentIds.includes(c.agentId ?? '\u0000')) return false;
  if (f.customerIds?.length && !f.customerIds.includes(c.customerId ?? '\u0000')) return false;
  if (f.complaint !== undefined && doc.analysis.complaint.is !== f.complaint) return false;
  if (
    f.switchingIntent !== undefined &&
    [...keys].some((k) => k.startsWith('switching:')) !== f.switchingIntent
  )
    return false;
  const sentiment = doc.analysis.sentiment.customer;
  if (f.sentimentMin !== undefined && sentiment < f.sentimentMin) return false;
  if (f.sentimentMax !== undefined && sentiment > f.sentimentMax) return false;
  const n = c.utterances.length;
  if (f.minUtterances !== undefined && n < f.minUtterances) return false;
  if (f.maxUtterances !== undefined && n > f.maxUtterances) return false;
  return labelKeyGroups(f).every((group) => group.some((k) => keys.has(k)));
}

/** Facet counts over matching conversations, ordered by count desc then value. */
export function countFacets(docs: ProcessedConversation[]): FacetCounts {
  const counts = new Map<FacetName, Map<string, number>>(FACET_NAMES.map((n) => [n, new Map()]));
  const bump = (facet: FacetName, value: string): void => {
    const m = counts.get(facet);
    if (m !== undefined) m.set(value, (m.get(value) ?? 0) + 1);
  };
  for (const doc of docs) {
    for (const key of labelKeys(doc)) {
      const at = key.indexOf(':');
      const dim = LABEL_DIMENSIONS.find((d) => d.prefix === key.slice(0, at));
      if (dim !== undefined) bump(dim.facet, key.slice(at + 1));
    }
    bump('channel', doc.conversation.channel);
    if (doc.conversation.agentId !== undefined) bump('agent', doc.conversation.agentId);
  }
  const out = {} as FacetCounts;
  for (const [facet, m] of counts) {
    out[facet] = [...m]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || compareCodePoints(a.value, b.value))
      .slice(0, facet === 'agent' ? AGENT_FACET_SIZE : FACET_SIZE);
  }
  return out;
}

const CST_OFFSET_MS = 8 * 3600_000;

/** First day (Asia/Shanghai, no daylight saving) of the bucket holding an instant. */
export function bucketKey(ms: number, interval: HistogramInterval): string {
  const d = new Date(ms + CST_OFFSET_MS);
  if (interval === 'month') d.setUTCDate(1);
  if (interval === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

export function histogram(instants: number[], interval: HistogramInterval): HistogramBucket[] {
  const counts = new Map<string, number>();
  for (const ms of instants) {
    const key = bucketKey(ms, interval);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, count })).sort((a, b) => (a.key < b.key ? -1 : 1));
}

export function indexUtterances(doc: ProcessedConversation, units: string[][]): IndexedUtterance[] {
  return doc.conversation.utterances.map((u, i) => ({
    field: speakerField(u.speaker),
    units: units[i] ?? [],
  }));
}
