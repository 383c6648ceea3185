/**
 * The competitor report: who customers name, how often (and whether that is a real rise), about what,
 * whether they leave for them, in their own words, and which unknown institutions appear.
 * Every count comes from the stores' aggregations (CompetitorStatsStore), so it is the number the
 * search with the same filters shows.
 */
import type { Channel } from '../domain/conversation.js';
import type { Aspect, CompetitorId } from '../domain/labels.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import type { HistogramInterval } from '../storage/text-query.js';
import type {
  CompetitorStatsRow,
  CompetitorStatsStore,
  ConversationQuery,
  ConversationStore,
} from '../storage/types.js';
import { fillGaps } from '../search/search-service.js';
import { emergingScanQuery, findEmerging, type EmergingCompetitor } from './emerging.js';
import { COMPETITOR_NAMES } from './names.js';
import { previousPeriod, type Period } from './period.js';
import { pickQuotes, quoteCandidates, type Quote } from './quotes.js';
import { ALPHA, holm, riseTest } from './significance.js';
import { summarise } from './summary.js';
import type { ReportVocabulary } from './vocabulary.js';

export interface CompetitorReportRequest extends Period {
  interval: HistogramInterval;
  channel?: Channel;
  /** Periods of the same length before this one that the rise is tested against (default 4). */
  baselinePeriods?: number;
}

export interface CompetitorReportEntry {
  id: CompetitorId;
  name: string;
  mentions: number;
  customers: number;
  /** This competitor's share of all competitor mentions of the period, 0..1 (4 decimals). */
  shareOfVoice: number;
  /** Buckets from the first baseline period to the end of this one, zeros included. */
  trend: { start: string; mentions: number }[];
  change: {
    /** Mentions in the period of the same length right before. */
    previous: number;
    delta: number;
    /** A rise of the rate per conversation against the baseline periods, significant after Holm. */
    significant: boolean;
    /** One-sided p-value of the conditional binomial test; null without conversations in the baseline. */
    pValue: number | null;
    baseline: { periods: number; mentions: number; conversations: number };
  };
  aspects: Partial<Record<Aspect, number>>;
  switching: number;
  sentiment: { mean: number; negative: number; positive: number };
  quotes: Quote[];
}

export interface CompetitorReport {
  period: {
    from: string;
    to: string;
    interval: HistogramInterval;
    channel?: Channel;
    /** Every conversation of the period and channel. */
    conversations: number;
    baseline: { from: string; to: string; periods: number; conversations: number };
  };
  test: { method: string; alpha: number; correction: string };
  competitors: CompetitorReportEntry[];
  emerging: EmergingCompetitor[];
  /** What changed, in Chinese, one sentence per line. */
  summary: string[];
  generatedAt: string;
}

/** Conversations read per competitor for quotes, and for the emerging-names scan. */
const QUOTE_SCAN = 300;
const EMERGING_SCAN = 5000;

export class CompetitorReportService {
  constructor(
    private readonly stats: CompetitorStatsStore,
    private readonly conversations: ConversationStore,
    private readonly vocabulary: () => ReportVocabulary,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Builds the report of one period (bounds inclusive, ISO 8601). */
  async build(request: CompetitorReportRequest): Promise<CompetitorReport> {
    const k = request.baselinePeriods ?? 4;
    const channel = request.channel ? { channel: request.channel } : {};
    const period: Period = { from: request.from, to: request.to };
    const first = previousPeriod(period, k);
    const [current, trend, ...baseline] = await Promise.all([
      this.stats.competitorStats({ ...period, ...channel }),
      this.stats.competitorStats({
        from: first.from,
        to: request.to,
        interval: request.interval,
        ...channel,
      }),
      ...Array.from({ length: k }, (_, i) =>
        this.stats.competitorStats({ ...previousPeriod(period, i + 1), ...channel }),
      ),
    ]);
    const baselineConversations = baseline.reduce((s, b) => s + b.conversations, 0);
    const baselineMentions = (id: CompetitorId): number =>
      baseline.reduce((s, b) => s + (b.competitors.find((r) => r.id === id)?.mentions ?? 0), 0);
    const totalMentions = current.competitors.reduce((s, r) => s + r.mentions, 0);
    const tests = current.competitors.map((r) =>
      riseTest(r.mentions, current.conversations, baselineMentions(r.id), baselineConversations),
    );
    const significant = holm(tests.map((t) => t.pValue));
    const trendOf = (id: CompetitorId) => {
      const row = trend.competitors.find((r) => r.id === id);
      return fillPeriod(row?.trend ?? [], first.from, request.to, request.interval);
    };
    const entries = await Promise.all(
      current.competitors.map(async (r, i): Promise<CompetitorReportEntry> => {
        const previous = baseline[0]?.competitors.find((b) => b.id === r.id)?.mentions ?? 0;
        const test = tests[i] ?? { pValue: null, rose: false };
        return {
          id: r.id,
          name: COMPETITOR_NAMES[r.id],
          mentions: r.mentions,
          customers: r.customers,
          shareOfVoice: totalMentions === 0 ? 0 : Math.round((r.mentions / totalMentions) * 10000) / 10000,
          trend: trendOf(r.id),
          change: {
            previous,
            delta: r.mentions - previous,
            significant: test.rose && (significant[i] ?? false),
            pValue: test.pValue === null ? null : Number(test.pValue.toPrecision(4)),
            baseline: { periods: k, mentions: baselineMentions(r.id), conversations: baselineConversations },
          },
          aspects: r.aspects,
          switching: r.switching,
          sentiment: { mean: r.sentimentMean, negative: r.negative, positive: r.positive },
          quotes: await this.quotes(r, request),
        };
      }),
    );
    const report: CompetitorReport = {
      period: {
        from: request.from,
        to: request.to,
        interval: request.interval,
        ...channel,
        conversations: current.conversations,
        baseline: {
          from: first.from,
          to: previousPeriod(period, 1).to,
          periods: k,
          conversations: baselineConversations,
        },
      },
      test: {
        method:
          'conditional binomial test of two Poisson counts (exact, one-sided), conversations as exposure',
        alpha: ALPHA,
        correction: 'Holm-Bonferroni across the competitors of the report',
      },
      competitors: entries,
      emerging: await this.emerging(request),
      summary: [],
      generatedAt: this.now().toISOString(),
    };
    report.summary = summarise(report);
    return report;
  }

  private async scan(
    query: Omit<ConversationQuery, 'sort' | 'limit' | 'tokens'>,
    max: number,
  ): Promise<ProcessedConversation[]> {
    const docs: ProcessedConversation[] = [];
    let after: string | undefined;
    do {
      const page = await this.conversations.search({
        tokens: [],
        sort: 'time',
        limit: Math.min(500, max - docs.length),
        ...query,
        ...(after ? { after } : {}),
      });
      docs.push(...page.hits.map((h) => h.document));
      after = page.next;
    } while (after !== undefined && docs.length < max);
    return docs;
  }

  private async quotes(row: CompetitorStatsRow, request: CompetitorReportRequest): Promise<Quote[]> {
    const docs = await this.scan(
      {
        from: request.from,
        to: request.to,
        ...(request.channel ? { channel: request.channel } : {}),
        filters: { competitors: [row.id] },
      },
      QUOTE_SCAN,
    );
    return pickQuotes(quoteCandidates(row.id, docs, this.vocabulary()));
  }

  private async emerging(request: CompetitorReportRequest): Promise<EmergingCompetitor[]> {
    const docs = await this.scan(
      {
        from: request.from,
        to: request.to,
        ...(request.channel ? { channel: request.channel } : {}),
        text: emergingScanQuery(),
      },
      EMERGING_SCAN,
    );
    return findEmerging(docs, this.vocabulary());
  }
}

/** Zero buckets over the whole span, so a chart shows quiet periods and the trend has a fixed length. */
function fillPeriod(
  buckets: { key: string; count: number }[],
  from: string,
  to: string,
  interval: HistogramInterval,
): { start: string; mentions: number }[] {
  const startKey = bucketStart(from, interval);
  const endKey = bucketStart(to, interval);
  const edges = [
    ...(buckets.some((b) => b.key === startKey) ? [] : [{ key: startKey, count: 0 }]),
    ...buckets,
    ...(buckets.some((b) => b.key === endKey) ? [] : [{ key: endKey, count: 0 }]),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return fillGaps(edges, interval).map((b) => ({ start: b.key, mentions: b.count }));
}

function bucketStart(iso: string, interval: HistogramInterval): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  if (interval === 'month') d.setUTCDate(1);
  if (interval === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}
