/**
 * Text expressions, filters and aggregations as Elasticsearch query DSL. Utterance units live in
 * one text array per speaker (customerUnits, agentUnits, otherUnits); the default
 * position_increment_gap (100) keeps phrases and NEAR (at most MAX_NEAR_DISTANCE) inside one
 * utterance, as the other stores do.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { ConversationQuery } from '../types.js';
import {
  AGENT_FACET_SIZE,
  labelKeyGroups,
  toFacetCounts,
  type ConversationFilters,
  type FacetCounts,
  type HistogramBucket,
  type HistogramInterval,
  type SpeakerScope,
  type TextQuery,
} from '../text-query.js';

type Query = estypes.QueryDslQueryContainer;

const FIELDS = {
  customer: ['customerUnits'],
  agent: ['agentUnits'],
  all: ['customerUnits', 'agentUnits', 'otherUnits'],
};

function spanOf(field: string, units: string[]): estypes.QueryDslSpanQuery {
  if (units.length === 1) return { span_term: { [field]: units[0] ?? '' } };
  return {
    span_near: { clauses: units.map((u) => ({ span_term: { [field]: u } })), slop: 0, in_order: true },
  };
}

function leafOn(field: string, leaf: TextQuery & { kind: 'phrase' | 'near' }): Query {
  if (leaf.kind === 'phrase') {
    // Units hold no whitespace, so the whitespace analyzer gives back exactly these terms.
    return { match_phrase: { [field]: { query: leaf.tokens.join(' ') } } };
  }
  return {
    span_near: {
      clauses: [spanOf(field, leaf.left), spanOf(field, leaf.right)],
      slop: leaf.distance,
      in_order: false,
    },
  };
}

function scopeFields(scope: SpeakerScope | undefined): string[] {
  return FIELDS[scope ?? 'all'];
}

export function textToQuery(query: TextQuery): Query {
  switch (query.kind) {
    case 'phrase':
    case 'near': {
      const clauses = scopeFields(query.scope).map((f) => leafOn(f, query));
      return clauses.length === 1 && clauses[0] !== undefined
        ? clauses[0]
        : { bool: { should: clauses, minimum_should_match: 1 } };
    }
    case 'and':
      return { bool: { must: query.children.map(textToQuery) } };
    case 'or':
      return { bool: { should: query.children.map(textToQuery), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [textToQuery(query.child)] } };
  }
}

export function filtersToQueries(filters: ConversationFilters | undefined): {
  filter: Query[];
  mustNot: Query[];
} {
  const filter: Query[] = [];
  const mustNot: Query[] = [];
  if (filters === undefined) return { filter, mustNot };
  const f = filters;
  if (f.agentIds?.length) filter.push({ terms: { agentId: f.agentIds } });
  if (f.customerIds?.length) filter.push({ terms: { customerId: f.customerIds } });
  if (f.complaint !== undefined) filter.push({ term: { complaint: f.complaint } });
  if (f.switchingIntent !== undefined) {
    (f.switchingIntent ? filter : mustNot).push({ prefix: { labelKeys: 'switching:' } });
  }
  if (f.sentimentMin !== undefined || f.sentimentMax !== undefined) {
    filter.push({ range: { sentiment: { gte: f.sentimentMin, lte: f.sentimentMax } } });
  }
  if (f.minUtterances !== undefined || f.maxUtterances !== undefined) {
    filter.push({ range: { utteranceCount: { gte: f.minUtterances, lte: f.maxUtterances } } });
  }
  for (const group of labelKeyGroups(f)) filter.push({ terms: { labelKeys: group } });
  return { filter, mustNot };
}

/**
 * Whether Elasticsearch may answer a search from its shard request cache: searches without text
 * that aggregate (the console's dashboard, its period and facet drill-downs) are the same for every
 * analyst and cost aggregations over every document of the period (at 50,000 conversations most of
 * the dashboard's time). A shard drops its cached answers at the first refresh after a write, so
 * an ingest invalidates them in every process and no answer is older than what a search would see.
 * Text searches vary too much to be worth the cache space.
 */
export function requestCacheable(query: ConversationQuery): boolean {
  return (
    query.text === undefined &&
    query.tokens.length === 0 &&
    (query.facets === true || query.histogram !== undefined)
  );
}

export function aggregations(
  facets: boolean,
  interval: HistogramInterval | undefined,
): Record<string, estypes.AggregationsAggregationContainer> | undefined {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  const order: estypes.AggregationsAggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];
  if (facets) {
    aggs.labels = { terms: { field: 'labelKeys', size: 1000 } };
    aggs.channel = { terms: { field: 'channel', size: 10, order } };
    aggs.agent = { terms: { field: 'agentId', size: AGENT_FACET_SIZE, order } };
  }
  if (interval !== undefined) {
    aggs.histogram = {
      date_histogram: {
        field: 'startedAt',
        calendar_interval: interval,
        time_zone: '+08:00',
        min_doc_count: 1,
        format: 'yyyy-MM-dd',
      },
    };
  }
  return Object.keys(aggs).length > 0 ? aggs : undefined;
}

interface TermsAgg {
  buckets: { key: string | number; doc_count: number }[];
}
interface HistogramAgg {
  buckets: { key_as_string?: string; doc_count: number }[];
}

export function readFacets(aggs: Record<string, unknown> | undefined): FacetCounts {
  const rows = (name: string): { k: string; n: number }[] =>
    ((aggs?.[name] as TermsAgg | undefined)?.buckets ?? []).map((b) => ({
      k: String(b.key),
      n: b.doc_count,
    }));
  return toFacetCounts(rows('labels'), rows('channel'), rows('agent'));
}

export function readHistogram(aggs: Record<string, unknown> | undefined): HistogramBucket[] {
  return ((aggs?.histogram as HistogramAgg | undefined)?.buckets ?? [])
    .filter((b) => b.doc_count > 0)
    .map((b) => ({ key: b.key_as_string ?? '', count: b.doc_count }));
}
