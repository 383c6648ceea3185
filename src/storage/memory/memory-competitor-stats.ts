/** CompetitorStatsStore over any ConversationStore by scanning the period: the reference for the real stores. */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { computeCompetitorStats } from '../competitor-stats.js';
import type {
  CompetitorStats,
  CompetitorStatsQuery,
  CompetitorStatsStore,
  ConversationStore,
} from '../types.js';

export class ScanningCompetitorStats implements CompetitorStatsStore {
  constructor(private readonly conversations: ConversationStore) {}

  async competitorStats(query: CompetitorStatsQuery): Promise<CompetitorStats> {
    const docs: ProcessedConversation[] = [];
    let after: string | undefined;
    do {
      const page = await this.conversations.search({
        tokens: [],
        sort: 'time',
        limit: 1000,
        from: query.from,
        to: query.to,
        ...(query.channel ? { channel: query.channel } : {}),
        ...(after ? { after } : {}),
      });
      docs.push(...page.hits.map((h) => h.document));
      after = page.next;
    } while (after !== undefined);
    return computeCompetitorStats(docs, query);
  }
}
