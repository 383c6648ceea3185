/**
 * Disjunctive facets on Elasticsearch in one request: the facet selections move from the query to
 * post_filter (hits and total still honour them), the aggregations over the full selection sit
 * under a filter aggregation, and each selected facet is counted under the other facets' selections
 * only (see ../facet-filters.ts for the rule every store follows).
 */
import type { estypes } from '@elastic/elasticsearch';
import { FACET_FILTERS } from '../facet-filters.js';
import {
  AGENT_FACET_SIZE,
  LABEL_DIMENSIONS,
  toFacetCounts,
  type FacetCounts,
  type FacetName,
  type HistogramInterval,
} from '../text-query.js';
import type { ConversationQuery } from '../types.js';
import { aggregations, readFacets, readHistogram } from './es-search.js';

type Query = estypes.QueryDslQueryContainer;
type Aggs = Record<string, estypes.AggregationsAggregationContainer>;

/** The filter of one facet's selection in `query`. */
function selectionFilter(query: ConversationQuery, facet: FacetName): Query {
  const field = FACET_FILTERS.find((f) => f.facet === facet)?.filter;
  if (field === 'channel') return { term: { channel: query.channel ?? '' } };
  const values: string[] = field === undefined ? [] : (query.filters?.[field] ?? []);
  if (field === 'agentIds') return { terms: { agentId: values } };
  const prefix = LABEL_DIMENSIONS.find((d) => d.facet === facet)?.prefix ?? facet;
  return { terms: { labelKeys: values.map((v) => `${prefix}:${v}`) } };
}

function valuesAgg(facet: FacetName): estypes.AggregationsAggregationContainer {
  const order: estypes.AggregationsAggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];
  if (facet === 'channel') return { terms: { field: 'channel', size: 10, order } };
  if (facet === 'agent') return { terms: { field: 'agentId', size: AGENT_FACET_SIZE, order } };
  const prefix = LABEL_DIMENSIONS.find((d) => d.facet === facet)?.prefix ?? facet;
  return { terms: { field: 'labelKeys', include: `${prefix}:.*`, size: 1000 } };
}

/** post_filter and aggregations for a query whose `selected` facets have a selection. */
export function disjunctiveRequest(
  query: ConversationQuery,
  selected: readonly FacetName[],
  interval: HistogramInterval | undefined,
): { postFilter: Query; aggs: Aggs } {
  const filters = new Map(selected.map((f) => [f, selectionFilter(query, f)]));
  const all = [...filters.values()];
  const aggs: Aggs = {
    all: { filter: { bool: { filter: all } }, aggs: aggregations(true, interval) ?? {} },
  };
  for (const facet of selected) {
    const others = [...filters].filter(([f]) => f !== facet).map(([, q]) => q);
    aggs[`facet_${facet}`] = {
      filter: { bool: { filter: others } },
      aggs: { values: valuesAgg(facet) },
    };
  }
  return { postFilter: { bool: { filter: all } }, aggs };
}

interface Buckets {
  buckets: { key: string | number; doc_count: number }[];
}

/** Facets and histogram of a disjunctiveRequest response. */
export function readDisjunctive(
  aggs: Record<string, unknown> | undefined,
  selected: readonly FacetName[],
  withHistogram: boolean,
): { facets: FacetCounts; histogram?: ReturnType<typeof readHistogram> } {
  const all = aggs?.all as Record<string, unknown> | undefined;
  const facets = readFacets(all);
  for (const facet of selected) {
    const rows = ((aggs?.[`facet_${facet}`] as { values?: Buckets } | undefined)?.values?.buckets ?? []).map(
      (b) => ({ k: String(b.key), n: b.doc_count }),
    );
    const counts =
      facet === 'channel'
        ? toFacetCounts([], rows, [])
        : facet === 'agent'
          ? toFacetCounts([], [], rows)
          : toFacetCounts(rows, [], []);
    facets[facet] = counts[facet];
  }
  return { facets, ...(withHistogram ? { histogram: readHistogram(all) } : {}) };
}
