/**
 * The storage ports. `memory/` (unit-test fakes), `sqlite/` (embedded default) and `elasticsearch/`
 * (distributed) implement them; test/contract/ runs one suite against each implementation.
 */
import type { Channel } from '../domain/conversation.js';
import type { Correction } from '../domain/correction.js';
import type { Aspect, CompetitorId } from '../domain/labels.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';
import type {
  ConversationFilters,
  FacetCounts,
  HistogramBucket,
  HistogramInterval,
  TextQuery,
} from './text-query.js';

export type {
  ConversationFilters,
  FacetCounts,
  HistogramBucket,
  HistogramInterval,
  TextQuery,
} from './text-query.js';

export interface ConversationQuery {
  /** Segmented query tokens; a conversation matches when every token occurs in it. Empty: match all. */
  tokens: string[];
  /** Inclusive ISO 8601 bounds on startedAt. */
  from?: string;
  to?: string;
  channel?: Channel;
  sort: 'relevance' | 'time';
  limit: number;
  /** Opaque cursor from a previous result's `next` (search_after semantics). */
  after?: string;
  /**
   * Boolean full-text expression matched per utterance (see text-query.ts). ANDed with `tokens`;
   * `tokens` keeps its whole-token semantics for older callers.
   */
  text?: TextQuery;
  /** Structured filters: agent, customer, label dimensions, sentiment, length. */
  filters?: ConversationFilters;
  /** Facet counts over every match (not only the page). */
  facets?: boolean;
  /** Date histogram of every match, buckets in Asia/Shanghai. */
  histogram?: HistogramInterval;
}

export interface ConversationHit {
  id: string;
  score: number;
  document: ProcessedConversation;
}

export interface ConversationPage {
  total: number;
  hits: ConversationHit[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
  /** Present when the query asked for facets. */
  facets?: FacetCounts;
  /** Present when the query asked for a histogram: non-empty buckets, oldest first. */
  histogram?: HistogramBucket[];
}

export interface SearchOptions {
  /** Fires when the caller gives up (the client disconnected): the store may stop the work. */
  signal?: AbortSignal;
}

export interface ConversationStore {
  /** Insert or replace by conversation id; all-or-nothing is not required, but each doc is atomic. */
  upsertMany(docs: ProcessedConversation[]): Promise<void>;
  get(id: string): Promise<ProcessedConversation | undefined>;
  /** Several documents in one read (Elasticsearch mget), in the order of `ids`; undefined where absent. */
  getMany(ids: readonly string[]): Promise<(ProcessedConversation | undefined)[]>;
  search(query: ConversationQuery, options?: SearchOptions): Promise<ConversationPage>;
  count(): Promise<number>;
  /**
   * Rewrites every stored document through `rewrite`, batch by batch, for a re-analysis. Elasticsearch
   * fills a new index beside the old one (writes to the old one are blocked meanwhile, so ingest jobs
   * retry) and swaps the alias at the end: search never sees a mix. SQLite and memory rewrite in place.
   */
  rebuild(rewrite: (docs: ProcessedConversation[]) => Promise<ProcessedConversation[]>): Promise<void>;
  /** Make every acknowledged write visible to search (Elasticsearch refresh; no-op elsewhere). */
  refresh(): Promise<void>;
  /** Throws when the backend is unreachable; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Conversations with customer sentiment at or below this count as negative (binary-exact, so every store agrees). */
export const NEGATIVE_SENTIMENT = -0.25;
/** At or above this, positive. */
export const POSITIVE_SENTIMENT = 0.25;

export interface CompetitorStatsQuery {
  /** Inclusive ISO 8601 bounds on startedAt. */
  from: string;
  to: string;
  channel?: Channel;
  /** Per-competitor trend buckets (Asia/Shanghai, weeks start Monday); absent: no trend. */
  interval?: HistogramInterval;
}

/** What the conversations naming one competitor add up to; every count is a number of conversations. */
export interface CompetitorStatsRow {
  id: CompetitorId;
  /** Conversations whose analysis names the competitor (the search filter `competitor=<id>`). */
  mentions: number;
  /** Distinct customer ids among them (conversations without one are not counted). */
  customers: number;
  /** Conversations with switching intent towards it (`switching:<id>`). */
  switching: number;
  /** Conversations naming it that carry the aspect label (the search `competitor=<id>&aspect=<a>`). */
  aspects: Partial<Record<Aspect, number>>;
  /** Mean customer sentiment of those conversations, rounded to 2 decimals. */
  sentimentMean: number;
  /** Conversations with sentiment <= NEGATIVE_SENTIMENT / >= POSITIVE_SENTIMENT. */
  negative: number;
  positive: number;
  /** Non-empty buckets, oldest first; empty when no interval was asked for. */
  trend: HistogramBucket[];
}

export interface CompetitorStats {
  /** Every conversation in the period and channel (the exposure of the significance test). */
  conversations: number;
  /** Competitors named at least once, by mentions desc then id. */
  competitors: CompetitorStatsRow[];
}

/** Aggregations behind the competitor report: Elasticsearch aggregations, SQL on SQLite, a scan in memory. */
export interface CompetitorStatsStore {
  competitorStats(query: CompetitorStatsQuery): Promise<CompetitorStats>;
}

/** A generated report kept for listing and download (the weekly competitor report, or one asked for). */
export interface StoredReport {
  /** `competitors-2026-W45`: generating the same week again replaces it. */
  id: string;
  kind: 'competitors';
  title: string;
  /** ISO week, when the report covers one. */
  week?: string;
  from: string;
  to: string;
  createdAt: string;
  /** The report as the API answers it (CompetitorReport). */
  report: unknown;
}

export type StoredReportSummary = Omit<StoredReport, 'report'>;

/** Generated reports with their PDF. */
export interface ReportStore {
  /** Insert or replace by id. */
  put(record: StoredReport, pdf: Buffer): Promise<void>;
  /** Newest period first (then id), without the report bodies. */
  list(limit: number): Promise<StoredReportSummary[]>;
  get(id: string): Promise<StoredReport | undefined>;
  pdf(id: string): Promise<Buffer | undefined>;
}

export const ROLES = ['ingest', 'analyst', 'crm', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  /** sha256 hex of the key; the clear key is shown once and never stored. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

export interface ApiKeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  /** Returns false when no key has that id. */
  revoke(id: string, at: string): Promise<boolean>;
}

export interface SavedSearch {
  id: string;
  name: string;
  /** The search parameters as the API takes them (q, filters, ...). */
  query: Record<string, unknown>;
  /** Id of the API key that saved it. */
  owner: string;
  /** Name of that key when it saved the search (shown to the team), redacted like utterances. */
  ownerName: string;
  /** Shared with the team: every analyst key lists it; only the owner changes or deletes it. */
  shared: boolean;
  createdAt: string;
}

export interface SavedSearchStore {
  insert(search: SavedSearch): Promise<void>;
  /** The owner's searches, newest first. */
  listByOwner(owner: string): Promise<SavedSearch[]>;
  /** The owner's searches and every search shared with the team, newest first. */
  listVisible(owner: string): Promise<SavedSearch[]>;
  /** Sets the shared flag; returns false when no search has that id. */
  setShared(id: string, shared: boolean): Promise<boolean>;
  get(id: string): Promise<SavedSearch | undefined>;
  /** Returns false when no search has that id. */
  delete(id: string): Promise<boolean>;
}

/** One line of the append-only audit log (exports of conversation data, label corrections). */
export interface AuditEntry {
  id: string;
  at: string;
  /** API key id and name of who did it. */
  actor: string;
  actorName: string;
  action: string;
  query: Record<string, unknown>;
  rows: number;
  format?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  list(limit: number): Promise<AuditEntry[]>;
}

export type { Correction } from '../domain/correction.js';

export interface CorrectionQuery {
  conversationId?: string;
  /** The corrected label, exactly (`complaint:fees`). */
  label?: string;
  limit: number;
  /** Opaque cursor from a previous page's `next`. */
  after?: string;
}

export interface CorrectionPage {
  items: Correction[];
  /** Cursor for the next page; absent on the last page. */
  next?: string;
}

/** Analyst corrections of labels, kept so they survive re-analysis and feed evaluation. */
export interface CorrectionStore {
  /** Rejects with DuplicateRecordError when a correction with that id exists. Visible to list at once. */
  insert(correction: Correction): Promise<void>;
  /** Newest first (at, then id, descending), filtered, paged; a foreign cursor is an InvalidQueryError. */
  list(query: CorrectionQuery): Promise<CorrectionPage>;
  /** Every correction of these conversations, in the order they apply (oldest first, then id). */
  forConversations(conversationIds: readonly string[]): Promise<Correction[]>;
}

export interface Stores {
  conversations: ConversationStore;
  keys: ApiKeyStore;
  savedSearches: SavedSearchStore;
  audit: AuditLog;
  corrections: CorrectionStore;
  competitorStats: CompetitorStatsStore;
  reports: ReportStore;
  close(): Promise<void>;
}
