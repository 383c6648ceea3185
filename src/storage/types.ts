/**
 * The storage ports. `memory/` (unit-test fakes), `sqlite/` (embedded default) and `elasticsearch/`
 * (distributed) implement them; test/contract/ runs one suite against each implementation.
 */
import type { Channel } from '../domain/conversation.js';
import type { ProcessedConversation } from '../domain/processed-conversation.js';

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
}

export interface ConversationStore {
  /** Insert or replace by conversation id; all-or-nothing is not required, but each doc is atomic. */
  upsertMany(docs: ProcessedConversation[]): Promise<void>;
  get(id: string): Promise<ProcessedConversation | undefined>;
  search(query: ConversationQuery): Promise<ConversationPage>;
  count(): Promise<number>;
  /** Make every acknowledged write visible to search (Elasticsearch refresh; no-op elsewhere). */
  refresh(): Promise<void>;
  /** Throws when the backend is unreachable; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
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

export interface Stores {
  conversations: ConversationStore;
  keys: ApiKeyStore;
  close(): Promise<void>;
}
