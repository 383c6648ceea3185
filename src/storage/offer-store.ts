import type { DecisionRecord, Outcome, OutcomeRecord } from '../domain/offer.js';

/** One cap of the contact policy: at most `max` counted contacts within `windowMs` (on one channel). */
export interface CapRule {
  windowMs: number;
  max: number;
  channel?: string;
}

/** An offer made to a customer (whether or not it counts against the caps). */
export interface ContactEntry {
  at: number;
  channel: string;
  kind: string;
  offerId: string;
  decisionId: string;
}

export interface ResponseEntry {
  at: number;
  offerId: string;
  decisionId: string;
  outcome: Outcome;
}

export interface ContactRequest {
  offerId: string;
  kind: string;
  decisionId: string;
}

/** The arguments of OfferStore.reserveContacts, as one value. */
export interface Reservation {
  customerId: string;
  channel: string;
  at: number;
  requests: ContactRequest[];
  limit: number;
  caps: CapRule[];
  countedKinds: readonly string[];
}

/** Outcome counts per arm; key `${offerId}|${segment}`. */
export type ArmCountMap = Map<string, { accepted: number; rejected: number }>;

export const armKey = (offerId: string, segment: string): string => `${offerId}|${segment}`;

/**
 * The decisions' state: the contact ledger behind the caps, the decision log with outcomes, and the
 * learned outcome counts. SQLite in the embedded mode, Redis in the distributed mode.
 */
export interface OfferStore {
  /**
   * Atomically: counts the customer's contacts of `countedKinds` inside each cap's window, then walks
   * the requests in order and grants each that fits every cap of its channel (requests of other
   * kinds always fit) until `limit` are granted; records the granted ones and returns their indices.
   * Concurrent calls never exceed a cap.
   */
  reserveContacts(
    customerId: string,
    channel: string,
    at: number,
    requests: ContactRequest[],
    limit: number,
    caps: CapRule[],
    countedKinds: readonly string[],
  ): Promise<number[]>;
  /**
   * A decision's reservation and its log entry together: reserves as reserveContacts, builds the
   * record from the granted indices and stores it as putDecision, in one transaction in SQLite (one
   * commit per decision instead of two); in Redis the script, then the record. Resolves once both
   * are stored, so an answered decision is in the log.
   */
  reserveAndLog(
    reservation: Reservation,
    build: (granted: number[]) => DecisionRecord,
  ): Promise<DecisionRecord>;
  /** The customer's recent contacts and responses (oldest first), for the contact policy. */
  history(customerId: string): Promise<{ contacts: ContactEntry[]; responses: ResponseEntry[] }>;
  putDecision(record: DecisionRecord): Promise<void>;
  /** The decision with every outcome recorded for it. */
  getDecision(decisionId: string): Promise<DecisionRecord | undefined>;
  /**
   * Records an outcome once per (decision, offer) together with the customer's response entry and
   * the arm's count; false (nothing written) when that offer of that decision has one already.
   */
  addOutcome(decision: DecisionRecord, outcome: OutcomeRecord): Promise<boolean>;
  /**
   * Settles, as `no_answer` (source `timeout`, at the offer's time + `waitMs`), up to `limit` of the
   * granted offers made at or before `madeBefore` that still have no outcome, oldest first, each
   * through the same once-only write as addOutcome (response entry and arm count included). An offer
   * whose decision was never logged cannot be attributed to a segment and is dropped from the queue
   * of unanswered offers instead (`dropped` counts those and any found answered already). A second call settles nothing already settled; a real outcome that
   * arrives later is refused like any second outcome.
   */
  settleUnanswered(
    madeBefore: number,
    waitMs: number,
    limit: number,
  ): Promise<{ settled: number; dropped: number }>;
  armCounts(): Promise<ArmCountMap>;
  /** Decisions made in [from, to), ordered by time. */
  decisions(from: string, to: string): Promise<DecisionRecord[]>;
  close(): Promise<void>;
}

/** How long a customer's contact and response history is kept (longer than every policy window). */
export const HISTORY_MS = 200 * 24 * 3600 * 1000;
