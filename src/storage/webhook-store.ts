/**
 * The webhook port: subscriptions, each one's position in the tag feed, its delivery log and its
 * dead letters. SQLite (embedded, DATA_DIR/webhooks.db) and Redis (distributed, the queue's Redis)
 * implement it; test/contract/webhook-store.contract.ts runs one suite against each.
 */
import type { TagChange } from '../domain/tag.js';

export interface Webhook {
  id: string;
  url: string;
  /** Key prefixes (`need.`, `consent.do_not_market`); empty: every change. */
  keys: string[];
  /** `whsec_<base64>`: shown once at creation, kept to sign deliveries. */
  secret: string;
  createdAt: string;
  /** `disabled`: the receiver answered 410 Gone (Standard Webhooks: stop sending). */
  status: 'active' | 'disabled';
}

/** Where a subscription stands in the feed, and how the head item's attempts went. */
export interface WebhookProgress {
  /** Tag-feed cursor after the last change delivered (or dead-lettered, or skipped by the filter). */
  cursor?: string;
  /** The item being attempted (a change id) and how many attempts it has had. */
  pending?: { changeId: string; attempts: number };
  /** No attempt before this time (ms since epoch): the backoff of the pending item. */
  retryAt?: number;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'dead' | 'refused';

/** One attempt, as GET /v1/webhooks/:id/deliveries shows it (newest first). */
export interface DeliveryAttempt {
  /** The `webhook-id` header: stable per (webhook, change), the receiver's idempotency key. */
  messageId: string;
  changeId: string;
  customerId: string;
  key: string;
  attempt: number;
  at: string;
  outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why it failed, in our words (never the receiver's body). */
  error?: string;
  durationMs: number;
  /** True for an attempt made by a replay of a dead letter. */
  replay?: boolean;
}

/** A change that exhausted its attempts; kept (with the change) until replayed and delivered. */
export interface DeadLetter {
  messageId: string;
  change: TagChange;
  attempts: number;
  lastError: string;
  at: string;
  /** `queued`: a replay asked for it; the delivery job sends queued letters before the feed. */
  state: 'dead' | 'queued';
}

export interface WebhookStore {
  create(webhook: Webhook, progress: WebhookProgress): Promise<void>;
  get(id: string): Promise<Webhook | undefined>;
  list(): Promise<Webhook[]>;
  /** Removes the subscription with its progress, log and dead letters; false if unknown. */
  delete(id: string): Promise<boolean>;
  setStatus(id: string, status: Webhook['status']): Promise<void>;
  progress(id: string): Promise<WebhookProgress | undefined>;
  /**
   * Replaces the progress only if the cursor is still `expectedCursor` (compare-and-set): a worker
   * that lost its lease cannot move the cursor twice. Returns false when it was not written.
   */
  saveProgress(id: string, expectedCursor: string | undefined, progress: WebhookProgress): Promise<boolean>;
  /**
   * Takes the subscription's delivery lease for `ttlMs` (or extends it for the same owner): one
   * sender per receiver at a time, which is what keeps deliveries in order. False when another holds it.
   */
  lease(id: string, owner: string, ttlMs: number): Promise<boolean>;
  release(id: string, owner: string): Promise<void>;
  /** Appends to the delivery log, keeping the latest `keep` attempts. */
  logAttempt(id: string, attempt: DeliveryAttempt, keep: number): Promise<void>;
  /** The delivery log, newest first. */
  attempts(id: string, limit: number): Promise<DeliveryAttempt[]>;
  /** Adds (or replaces, by message id) a dead letter. */
  putDeadLetter(id: string, letter: DeadLetter): Promise<void>;
  /** Dead letters in the order they died. */
  deadLetters(id: string): Promise<DeadLetter[]>;
  removeDeadLetter(id: string, messageId: string): Promise<void>;
  /** Marks every `dead` letter `queued`; returns how many. */
  queueDeadLetters(id: string): Promise<number>;
  close(): Promise<void>;
}
