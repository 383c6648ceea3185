import type { Analysis } from '../domain/analysis.js';
import type { Channel } from '../domain/conversation.js';
import type { ConversationStore } from '../storage/types.js';
import { highlightUtterances, type HighlightedUtterance } from './highlight.js';

export interface SearchRequest {
  q?: string;
  from?: string;
  to?: string;
  channel?: Channel;
  sort: 'relevance' | 'time';
  limit: number;
  after?: string;
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
  query: { tokens: string[] };
  hits: SearchResultItem[];
  next?: string;
}

/** Full-text search over conversations: the query is segmented exactly as indexed text was. */
export class SearchService {
  constructor(
    private readonly store: ConversationStore,
    private readonly segmentQuery: (text: string) => string[],
  ) {}

  async search(request: SearchRequest): Promise<SearchResponse> {
    const tokens = request.q ? this.segmentQuery(request.q) : [];
    const page = await this.store.search({
      tokens,
      sort: request.sort,
      limit: request.limit,
      ...(request.from ? { from: request.from } : {}),
      ...(request.to ? { to: request.to } : {}),
      ...(request.channel ? { channel: request.channel } : {}),
      ...(request.after ? { after: request.after } : {}),
    });
    return {
      total: page.total,
      query: { tokens },
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
          highlights: highlightUtterances(c.utterances, tokens),
        };
      }),
      ...(page.next ? { next: page.next } : {}),
    };
  }
}
