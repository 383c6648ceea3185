/**
 * The profile port: conversation signals, customer tags, consent and the tag feed. SQLite (embedded),
 * Redis (distributed: the same Redis as the queue, so a Lua-free MULTI under WATCH makes a tag change
 * and its feed entry one atomic step) and memory (unit fake) implement it; test/contract/ runs one
 * suite against each.
 */
import type { Consent, TagChange } from '../domain/tag.js';
import { InvalidQueryError, StoreError } from './errors.js';
import type { ComputedTag } from '../profiles/compute-tags.js';
import type { StoredTag } from '../profiles/plan-tag-changes.js';
import type { ConversationSignals } from '../profiles/signals.js';

export interface CustomerState {
  customerId: string;
  version: number;
  tags: StoredTag[];
  consent: Consent;
  /** Revision of the customer's signals (bumped by every putSignals that touches them). */
  revision: number;
}

export interface FeedPage {
  changes: TagChange[];
  /** Opaque; resume from it to see every later change exactly once. */
  cursor: string;
  hasMore: boolean;
}

export interface ApplyResult {
  changes: TagChange[];
  /** True when a computation from newer signals was applied already; nothing was written. */
  stale: boolean;
}

export interface ProfileStore {
  /**
   * Replaces the signals of these conversations (upsert by conversation id). Returns the customers
   * whose tags must be recomputed, with their new signal revision: the customers of the conversations,
   * and the former customer of a conversation that changed customer.
   */
  putSignals(signals: ConversationSignals[]): Promise<Map<string, number>>;
  /** The customer's signals and state, read together (for a computation). */
  load(customerId: string): Promise<{ signals: ConversationSignals[]; state: CustomerState }>;
  /**
   * The customer's state alone, as `load` reads it, without the signals: a reader of tags and
   * consent (a decision) does not parse every stored conversation signal of the customer.
   */
  loadState(customerId: string): Promise<CustomerState>;
  /**
   * Diffs `computed` against the stored tags and writes the difference and its feed entries in one
   * atomic step (planTagChanges). A computation from an older revision than the last applied one is
   * refused (`stale`), so a slow worker cannot undo a newer update.
   */
  applyTags(customerId: string, computed: ComputedTag[], revision: number, at: string): Promise<ApplyResult>;
  /**
   * applyTags for several customers (one profile-update job): one durable write where the backend
   * allows it (SQLite: one transaction, one fsync; Redis: one optimistic transaction for all of them,
   * customer by customer only after repeated conflicts), each customer atomic with its feed entries.
   */
  applyMany(
    items: { customerId: string; computed: ComputedTag[]; revision: number }[],
    at: string,
  ): Promise<ApplyResult[]>;
  setConsent(customerId: string, consent: Consent): Promise<number>;
  /** Customer ids with an active tag of this key, in id order, after `after`. */
  customersWithTag(key: string, limit: number, after?: string): Promise<string[]>;
  /** Customers holding an active tag whose validUntil is at or before `before`. */
  dueForExpiry(before: string, limit: number): Promise<string[]>;
  /** The feed after `cursor` (undefined: from the oldest retained change). */
  feed(cursor: string | undefined, limit: number): Promise<FeedPage>;
  /** The cursor of the latest change (a snapshot reader continues from it). */
  feedHead(): Promise<string>;
  /** Customers with any stored tag, in id order after `after` (snapshot and export paging). */
  customers(limit: number, after?: string): Promise<string[]>;
  /** Drops feed entries older than `before`; a cursor older than the oldest kept one gets FeedGoneError. */
  trimFeed(before: string): Promise<number>;
  /**
   * Erases a customer: signals, tags and consent go; a `deleted` tombstone per tag joins the feed and
   * only the erasure record (customer id, time) stays. Returns the tombstones.
   */
  erase(customerId: string, at: string): Promise<TagChange[]>;
  erasedAt(customerId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

/** A feed cursor older than the retained feed: the consumer must start again from a snapshot. */
export class FeedGoneError extends StoreError {
  readonly retryable = false;
}

/** Cursors are opaque to clients: a tagged, base64url-encoded position. */
export function encodeFeedCursor(kind: 's' | 'r', position: string): string {
  return Buffer.from(`${kind}1:${position}`).toString('base64url');
}

export function decodeFeedCursor(kind: 's' | 'r', cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}1:`) || text.length <= 3) {
    throw new InvalidQueryError(
      'cursor: not a cursor this feed gave out; use the `cursor` of a previous answer, or none to start from the oldest change',
    );
  }
  return text.slice(3);
}
