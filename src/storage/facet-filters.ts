/**
 * Disjunctive ("post-filter") facets, shared by every store. Values ticked within one facet are
 * alternatives (OR), facets combine with AND, and the counts of a facet ignore that facet's own
 * selection: after ticking 招商银行 the competitor facet still offers 工商银行 with the count it
 * would add. Every other facet counts over the fully filtered result.
 */
import {
  LABEL_DIMENSIONS,
  type ConversationFilters,
  type FacetCounts,
  type FacetName,
} from './text-query.js';
import type { ConversationPage, ConversationQuery } from './types.js';

type ListFilter = Exclude<(typeof LABEL_DIMENSIONS)[number]['filter'] | 'agentIds', undefined>;

/** The filter field behind each selectable facet (channel is the query's own `channel`). */
export const FACET_FILTERS: readonly { facet: FacetName; filter: ListFilter | 'channel' }[] = [
  ...LABEL_DIMENSIONS.map((d) => ({ facet: d.facet, filter: d.filter })),
  { facet: 'agent', filter: 'agentIds' },
  { facet: 'channel', filter: 'channel' },
];

/** Facets with a selection in this query, whose counts must ignore it. */
export function selectedFacets(query: ConversationQuery): FacetName[] {
  return FACET_FILTERS.filter(({ filter }) =>
    filter === 'channel' ? query.channel !== undefined : (query.filters?.[filter]?.length ?? 0) > 0,
  ).map((f) => f.facet);
}

/** The query without the selection of some facets (the rest of it untouched). */
export function withoutFacets(query: ConversationQuery, facets: readonly FacetName[]): ConversationQuery {
  const out: ConversationQuery = { ...query };
  const filters: ConversationFilters = { ...query.filters };
  for (const { facet, filter } of FACET_FILTERS) {
    if (!facets.includes(facet)) continue;
    if (filter === 'channel') delete out.channel;
    else delete filters[filter];
  }
  if (Object.keys(filters).length > 0) out.filters = filters;
  else delete out.filters;
  return out;
}

/**
 * Replaces the counts of each selected facet by counts over the query without that facet's own
 * selection, one extra aggregation-only query per selected facet (embedded and memory stores; the
 * Elasticsearch store does the same in one request with post_filter).
 */
export async function withDisjunctiveFacets(
  query: ConversationQuery,
  page: ConversationPage,
  run: (query: ConversationQuery) => Promise<ConversationPage>,
): Promise<ConversationPage> {
  if (query.facets !== true || page.facets === undefined) return page;
  const facets: FacetCounts = { ...page.facets };
  for (const facet of selectedFacets(query)) {
    const sub = withoutFacets(query, [facet]);
    delete sub.after;
    delete sub.histogram;
    const counts = await run({ ...sub, sort: 'time', limit: 0, facets: true });
    facets[facet] = counts.facets?.[facet] ?? [];
  }
  return { ...page, facets };
}
