import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DecisionRecord, OutcomeRecord } from '../../domain/offer.js';
import {
  armKey,
  HISTORY_MS,
  type ArmCountMap,
  type CapRule,
  type ContactEntry,
  type ContactRequest,
  type OfferStore,
  type Reservation,
  type ResponseEntry,
} from '../offer-store.js';
import { packDecision, unpackDecision } from './decision-log-codec.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/**
 * Decisions in the embedded mode: DATA_DIR/offers.db. A reservation counts and inserts inside one
 * IMMEDIATE transaction, so no two reservations interleave (even across processes sharing the file).
 */
export class SqliteOfferStore implements OfferStore {
  private readonly db: Database.Database;
  /** Statements prepared once (preparing costs more than running these). */
  private readonly sql: ReturnType<typeof prepare>;
  /** Writes waiting for the next group commit (see `write`). */
  private batch: PendingWrite[] = [];
  private flushScheduled = false;
  /** Copies the WAL into the database on a thread of its own, so commits rarely checkpoint. */
  private readonly checkpointer: WalCheckpointer;

  /** `onCheckpointError`: told when the checkpoint thread fails (the store then checkpoints itself). */
  constructor(dataDir: string, options: { onCheckpointError?: (error: Error) => void } = {}) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'offers.db'));
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a power cut may lose the last decisions, never corrupt the ledger; FULL
    // would add an fsync to every decision (two writes each) for little gain in a contact ledger.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    const hadUnanswered =
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'unanswered'").get() !==
      undefined;
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS contacts (customer_id TEXT NOT NULL, at INTEGER NOT NULL, channel TEXT NOT NULL,
        kind TEXT NOT NULL, offer_id TEXT NOT NULL, decision_id TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS contacts_customer ON contacts(customer_id, at);
      CREATE TABLE IF NOT EXISTS responses (customer_id TEXT NOT NULL, at INTEGER NOT NULL, offer_id TEXT NOT NULL,
        decision_id TEXT NOT NULL, outcome TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS responses_customer ON responses(customer_id, at);
      CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, at TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS decisions_at ON decisions(at);
      CREATE TABLE IF NOT EXISTS outcomes (decision_id TEXT NOT NULL, offer_id TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (decision_id, offer_id));
      CREATE TABLE IF NOT EXISTS arms (arm TEXT PRIMARY KEY, accepted INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS unanswered (decision_id TEXT NOT NULL, offer_id TEXT NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (decision_id, offer_id));
      CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered(at);`);
    // Granted offers without an outcome, for the no-answer job; filled from the ledger once when a
    // database from before the table is opened.
    if (!hadUnanswered)
      this.db.exec(`INSERT OR IGNORE INTO unanswered (decision_id, offer_id, at)
        SELECT c.decision_id, c.offer_id, MIN(c.at) FROM contacts c
        LEFT JOIN outcomes o ON o.decision_id = c.decision_id AND o.offer_id = c.offer_id
        WHERE o.decision_id IS NULL GROUP BY c.decision_id, c.offer_id`);
    this.sql = prepare(this.db);
    this.checkpointer = new WalCheckpointer(this.db, {
      ...(options.onCheckpointError ? { onError: options.onCheckpointError } : {}),
    });
  }

  /**
   * Group commit: writes that arrive in the same turn of the event loop are run in one IMMEDIATE
   * transaction (one WAL append and one lock instead of one per write), each in a savepoint of its
   * own so one failing write does not undo the others. A write's promise resolves only after the
   * transaction committed, so whatever a caller has answered is in the database (WAL, synchronous =
   * NORMAL: it survives a crash of the process; a power cut may lose the last commits, as before).
   * The batch is bounded: at MAX_BATCH writes it commits at once instead of waiting for the turn's end.
   */
  private write<T>(run: () => T): Promise<T> {
    this.checkpointer.start();
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (this.batch.length >= MAX_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const writes = this.batch;
    this.batch = [];
    if (writes.length === 0) return;
    const results: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.db
        .transaction(() => {
          for (const w of writes) {
            try {
              results.push({ ok: true, value: this.db.transaction(w.run)() });
            } catch (error) {
              results.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      // Nothing was committed (busy past busy_timeout, disk full): every write of the batch fails.
      for (const w of writes) w.reject(error);
      return;
    }
    writes.forEach((w, i) => {
      const r = results[i]!;
      if (r.ok) w.resolve(r.value);
      else w.reject(r.error);
    });
  }

  async reserveContacts(
    customerId: string,
    channel: string,
    at: number,
    requests: ContactRequest[],
    limit: number,
    caps: CapRule[],
    countedKinds: readonly string[],
  ): Promise<number[]> {
    return this.write(() => this.reserve({ customerId, channel, at, requests, limit, caps, countedKinds }));
  }

  async reserveAndLog(
    reservation: Reservation,
    build: (granted: number[]) => DecisionRecord,
  ): Promise<DecisionRecord> {
    return this.write(() => {
      const record = build(this.reserve(reservation));
      this.insertDecision(record);
      return record;
    });
  }

  /** Inside a transaction: counts, grants and records (see OfferStore.reserveContacts). */
  private reserve(r: Reservation): number[] {
    const { customerId, channel, at, requests, limit, caps, countedKinds } = r;
    const longest = Math.max(...caps.map((c) => c.windowMs));
    this.sql.trimContacts.run(customerId, at - HISTORY_MS);
    const existing = this.sql.recentContacts
      .all(customerId, at - longest)
      .filter((row) => countedKinds.includes(row.kind));
    const used = caps.map(
      (cap) =>
        existing.filter((row) => row.at > at - cap.windowMs && (!cap.channel || row.channel === cap.channel))
          .length,
    );
    const applies = (cap: CapRule): boolean => !cap.channel || cap.channel === channel;
    const granted: number[] = [];
    requests.forEach((request, i) => {
      if (granted.length >= limit) return;
      const counted = countedKinds.includes(request.kind);
      if (counted && caps.some((cap, k) => applies(cap) && used[k]! >= cap.max)) return;
      if (counted) caps.forEach((cap, k) => applies(cap) && used[k]!++);
      this.sql.insertContact.run(customerId, at, channel, request.kind, request.offerId, request.decisionId);
      this.sql.insertUnanswered.run(request.decisionId, request.offerId, at);
      granted.push(i);
    });
    return granted;
  }

  async history(customerId: string): Promise<{ contacts: ContactEntry[]; responses: ResponseEntry[] }> {
    return {
      contacts: this.sql.contacts.all(customerId),
      responses: this.sql.responses.all(customerId) as ResponseEntry[],
    };
  }

  async putDecision(record: DecisionRecord): Promise<void> {
    await this.write(() => this.insertDecision(record));
  }

  /** Outcomes live apart (written once each, concurrently); the record is written once. */
  private insertDecision(record: DecisionRecord): void {
    this.sql.insertDecision.run(record.decisionId, record.at, packDecision(record));
  }

  async getDecision(decisionId: string): Promise<DecisionRecord | undefined> {
    const row = this.sql.decision.get(decisionId);
    return row ? this.withOutcomes([unpackDecision(row.data)])[0] : undefined;
  }

  async addOutcome(decision: DecisionRecord, outcome: OutcomeRecord): Promise<boolean> {
    return this.write(() =>
      this.writeOutcome(decision.customerId, decision.segment, decision.decisionId, outcome),
    );
  }

  /** Inside a transaction: the outcome once, its response entry, the arm count; off the unanswered queue. */
  private writeOutcome(
    customerId: string,
    segment: string,
    decisionId: string,
    outcome: OutcomeRecord,
  ): boolean {
    const done =
      this.sql.insertOutcome.run(decisionId, outcome.offerId, JSON.stringify(outcome)).changes === 1;
    if (!done) return false;
    this.sql.insertResponse.run(
      customerId,
      Date.parse(outcome.at),
      outcome.offerId,
      decisionId,
      outcome.outcome,
    );
    const accepted = outcome.outcome === 'accepted' ? 1 : 0;
    this.sql.countArm.run(armKey(outcome.offerId, segment), accepted, 1 - accepted);
    this.sql.deleteUnanswered.run(decisionId, outcome.offerId);
    return true;
  }

  async settleUnanswered(
    madeBefore: number,
    waitMs: number,
    limit: number,
  ): Promise<{ settled: number; dropped: number }> {
    return this.write(() => {
      let settled = 0;
      let dropped = 0;
      for (const row of this.sql.unansweredPage.all(madeBefore, limit)) {
        const logged = this.sql.decision.get(row.decisionId);
        const { customerId, segment } = logged
          ? unpackDecision(logged.data)
          : { customerId: '', segment: '' };
        const entry: OutcomeRecord = {
          offerId: row.offerId,
          outcome: 'no_answer',
          at: new Date(row.at + waitMs).toISOString(),
          source: 'timeout',
        };
        if (logged && this.writeOutcome(customerId, segment, row.decisionId, entry)) settled++;
        else {
          // Never logged, or answered already: off the queue without an outcome.
          this.sql.deleteUnanswered.run(row.decisionId, row.offerId);
          dropped++;
        }
      }
      return { settled, dropped };
    });
  }

  async armCounts(): Promise<ArmCountMap> {
    return new Map(this.sql.arms.all().map((r) => [r.arm, { accepted: r.accepted, rejected: r.rejected }]));
  }

  async decisions(from: string, to: string): Promise<DecisionRecord[]> {
    const rows = this.sql.decisionRange.all(from, to);
    return this.withOutcomes(rows.map((r) => unpackDecision(r.data)));
  }

  private withOutcomes(records: DecisionRecord[]): DecisionRecord[] {
    return records.map((r) => ({
      ...r,
      outcomes: this.sql.outcomes.all(r.decisionId).map((o) => JSON.parse(o.data) as OutcomeRecord),
    }));
  }

  async close(): Promise<void> {
    this.flush();
    await this.checkpointer.close();
    this.db.close();
  }
}

/** At most this many writes wait for one group commit. */
const MAX_BATCH = 256;

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

function prepare(db: Database.Database) {
  return {
    recentContacts: db.prepare<[string, number], { at: number; channel: string; kind: string }>(
      'SELECT at, channel, kind FROM contacts WHERE customer_id = ? AND at > ?',
    ),
    insertContact: db.prepare(
      'INSERT INTO contacts (customer_id, at, channel, kind, offer_id, decision_id) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertUnanswered: db.prepare(
      'INSERT OR IGNORE INTO unanswered (decision_id, offer_id, at) VALUES (?, ?, ?)',
    ),
    deleteUnanswered: db.prepare('DELETE FROM unanswered WHERE decision_id = ? AND offer_id = ?'),
    unansweredPage: db.prepare<[number, number], { decisionId: string; offerId: string; at: number }>(
      `SELECT decision_id AS decisionId, offer_id AS offerId, at FROM unanswered WHERE at <= ?
       ORDER BY at, decision_id, offer_id LIMIT ?`,
    ),
    trimContacts: db.prepare('DELETE FROM contacts WHERE customer_id = ? AND at < ?'),
    contacts: db.prepare<[string], ContactEntry>(
      `SELECT at, channel, kind, offer_id AS offerId, decision_id AS decisionId FROM contacts
       WHERE customer_id = ? ORDER BY at, rowid`,
    ),
    responses: db.prepare<[string], { at: number; offerId: string; decisionId: string; outcome: string }>(
      `SELECT at, offer_id AS offerId, decision_id AS decisionId, outcome FROM responses
       WHERE customer_id = ? ORDER BY at, rowid`,
    ),
    insertDecision: db.prepare('INSERT OR REPLACE INTO decisions (id, at, data) VALUES (?, ?, ?)'),
    decision: db.prepare<[string], { data: string | Buffer }>('SELECT data FROM decisions WHERE id = ?'),
    decisionRange: db.prepare<[string, string], { data: string | Buffer }>(
      'SELECT data FROM decisions WHERE at >= ? AND at < ? ORDER BY at, id',
    ),
    outcomes: db.prepare<[string], { data: string }>('SELECT data FROM outcomes WHERE decision_id = ?'),
    insertOutcome: db.prepare(
      'INSERT OR IGNORE INTO outcomes (decision_id, offer_id, data) VALUES (?, ?, ?)',
    ),
    insertResponse: db.prepare(
      'INSERT INTO responses (customer_id, at, offer_id, decision_id, outcome) VALUES (?, ?, ?, ?, ?)',
    ),
    countArm: db.prepare(
      `INSERT INTO arms (arm, accepted, rejected) VALUES (?, ?, ?)
       ON CONFLICT (arm) DO UPDATE SET accepted = accepted + excluded.accepted, rejected = rejected + excluded.rejected`,
    ),
    arms: db.prepare<[], { arm: string; accepted: number; rejected: number }>(
      'SELECT arm, accepted, rejected FROM arms',
    ),
  };
}
