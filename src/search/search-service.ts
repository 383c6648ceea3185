import type { Analysis } from '../domain/analysis.js';
import type { Channel } from '../domain/conversation.js';
import { NotFoundError } from '../errors.js';
import type {
  ConversationFilters,
  FacetCounts,
  HistogramBucket,
  HistogramInterval,
} from '../storage/text-query.js';
import type { ConversationQuery, ConversationStore, SearchOptions } from '../storage/types.js';
import { conversationView, type ConversationView } from './conversation-view.js';
import { highlightQuery, type HighlightedUtterance } from './highlight.js';
import { parseQuery, type ParsedQuery } from './query-parser.js';
import { risingPhrases, topPhrases, type RisingPhrase, type TopPhrase } from './significant-phrases.js';

/** The label and metadata filters a search takes (the stores' filter shape). */
export type { ConversationFilters } from '../storage/text-query.js';

export interface SearchRequest {
  /** The query syntax of query-parser.ts. */
  q?: string;
  from?: string;
  to?: string;
  channel?: Channel;
  filters?: ConversationFilters;
  sort: 'relevance' | 'time';
  limit: number;
  after?: string;
  facets?: boolean;
  interval?: HistogramInterval;
}

export interface SearchResultItem {
  id: string;
  channel: Channel;
  startedAt: string;
  customerId?: string;
  agentId?: string;
  score: number;
  utteranceCount: number;
  analysis: Analysis;
  highlights: HighlightedUtterance[];
}

export interface SearchResponse {
  total: number;
  query: { tokens: string[]; highlight: string[]; scope: ParsedQuery['scope'] };
  hits: SearchResultItem[];
  next?: string;
  facets?: FacetCounts;
  histogram?: HistogramBucket[];
}

/** Full-text search over conversations: query words are segmented exactly as indexed text was. */
export class SearchService {
  constructor(
    private readonly store: ConversationStore,
    private readonly segmentQuery: (text: string) => string[],
  ) {}

  /** Parses the query text (throws ValidationError on bad syntax) into what the store takes. */
  compile(request: SearchRequest): { query: ConversationQuery; parsed: ParsedQuery } {
    const parsed = request.q
      ? parseQuery(request.q, this.segmentQuery)
      : { scope: 'all' as const, highlight: [] };
    const query: ConversationQuery = {
      tokens: [],
      sort: request.sort,
      limit: request.limit,
      ...(parsed.text ? { text: parsed.text } : {}),
      ...(request.filters ? { filters: request.filters } : {}),
      ...(request.from ? { from: request.from } : {}),
      ...(request.to ? { to: request.to } : {}),
      ...(request.channel ? { channel: request.channel } : {}),
      ...(request.after ? { after: request.after } : {}),
      ...(request.facets ? { facets: true } : {}),
      ...(request.interval ? { histogram: request.interval } : {}),
    };
    return { query, parsed };
  }

  /**
   * One page of matches with highlighted utterances, plus facets and histogram when asked.
   * `options.signal` abandons the search (the client went away).
   */
  async search(request: SearchRequest, options: SearchOptions = {}): Promise<SearchResponse> {
    const { query, parsed } = this.compile(request);
    const page = await this.store.search(query, options);
    return {
      total: page.total,
      query: {
        tokens: parsed.highlight.flatMap((w) => this.segmentQuery(w)),
        highlight: parsed.highlight,
        scope: parsed.scope,
      },
      hits: page.hits.map(({ id, score, document }) => {
        const c = document.conversation;
        return {
          id,
          channel: c.channel,
          startedAt: c.startedAt,
          ...(c.customerId ? { customerId: c.customerId } : {}),
          ...(c.agentId ? { agentId: c.agentId } : {}),
          score,
          utteranceCount: c.utterances.length,
          analysis: document.analysis,
          highlights: highlightQuery(c.utterances, parsed),
        };
      }),
      ...(page.next ? { next: page.next } : {}),
      ...(page.facets ? { facets: page.facets } : {}),
      ...(page.histogram && request.interval
        ? { histogram: fillGaps(page.histogram, request.interval) }
        : {}),
    };
  }

  /** One stored conversation with its analysis and evidence spans; NotFoundError for an unknown id. */
  async conversation(id: string): Promise<ConversationView> {
    const doc = await this.store.get(id);
    if (doc === undefined) throw new NotFoundError(`Conversation ${id}`);
    return conversationView(doc);
  }

  /**
   * Where a query matches in every utterance of one conversation (the conversation view marks
   * them beside the label evidence). Undefined when there is no such conversation.
   */
  async highlightConversation(id: string, q: string): Promise<HighlightedUtterance[] | undefined> {
    const doc = await this.store.get(id);
    if (doc === undefined) return undefined;
    const parsed = parseQuery(q, this.segmentQuery);
    return highlightQuery(doc.conversation.utterances, parsed, Number.POSITIVE_INFINITY);
  }

  /**
   * What customers say in the result beyond the labels: the words over-represented against all
   * conversations of the same period, and (with a period) the words that rose against the period
   * before. Computed on the newest PHRASE_SAMPLE conversations of each side (significant-phrases.ts).
   */
  async phrases(request: SearchRequest): Promise<PhrasesResponse> {
    const { query } = this.compile({ ...request, sort: 'time', limit: PHRASE_SAMPLE, facets: false });
    delete query.histogram;
    delete query.after;
    const period = { ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) };
    const docs = async (q: ConversationQuery) => (await this.store.search(q)).hits.map((h) => h.document);
    const previous = previousSpan(query.from, query.to);
    const [result, background, before] = await Promise.all([
      this.store.search(query),
      docs({ tokens: [], sort: 'time', limit: PHRASE_SAMPLE, ...period }),
      previous ? docs({ ...query, ...previous }) : Promise.resolve(undefined),
    ]);
    const current = result.hits.map((h) => h.document);
    return {
      total: result.total,
      sample: current.length,
      top: topPhrases(current, background),
      ...(before
        ? { previous: { ...previous, sample: before.length }, rising: risingPhrases(current, before) }
        : {}),
    };
  }

  /** Every match in time order, page by page (export). Stops after `max` conversations. */
  async *scan(request: SearchRequest, max: number): AsyncGenerator<SearchResultItem> {
    let after: string | undefined;
    let sent = 0;
    do {
      const limit = Math.min(500, max - sent);
      if (limit <= 0) return;
      const page = await this.search({
        ...request,
        sort: 'time',
        limit,
        facets: false,
        ...(after ? { after } : {}),
      });
      for (const hit of page.hits) {
        yield hit;
        sent++;
      }
      after = page.next;
    } while (after !== undefined);
  }
}

/** Conversations each side of a phrase comparison is computed on (the newest ones). */
export const PHRASE_SAMPLE = 500;

export interface PhrasesResponse {
  total: number;
  sample: number;
  top: TopPhrase[];
  previous?: { from?: string; to?: string; sample: number };
  rising?: RisingPhrase[];
}

/** The span of the same length just before from..to (inclusive instants), or undefined without both. */
export function previousSpan(from?: string, to?: string): { from: string; to: string } | undefined {
  if (!from || !to) return undefined;
  const start = Date.parse(from);
  const end = Date.parse(to);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined;
  return {
    from: new Date(start - (end - start) - 1).toISOString(),
    to: new Date(start - 1).toISOString(),
  };
}

/** Adds zero buckets between the first and last non-empty ones, so a chart shows quiet periods. */
export function fillGaps(buckets: HistogramBucket[], interval: HistogramInterval): HistogramBucket[] {
  const first = buckets[0];
  const last = buckets.at(-1);
  if (first === undefined || last === undefined) return [];
  const counts = new Map(buckets.map((b) => [b.key, b.count]));
  const out: HistogramBucket[] = [];
  const day = new Date(`${first.key}T00:00:00Z`);
  while (out.length < 5000) {
    const key = day.toISOString().slice(0, 10);
    out.push({ key, count: counts.get(key) ?? 0 });
    if (key >= last.key) break;
    if (interval === 'month') day.setUTCMonth(day.getUTCMonth() + 1);
    else day.setUTCDate(day.getUTCDate() + (interval === 'week' ? 7 : 1));
  }
  return out;
}
