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
  type ResponseEntry,
} from '../offer-store.js';

/**
 * Decisions in the embedded mode: DATA_DIR/offers.db. A reservation counts and inserts inside one
 * IMMEDIATE transaction, so no two reservations interleave (even across processes sharing the file).
 */
export class SqliteOfferStore implements OfferStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
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
    const rows = this.db.prepare<[string, number], { at: number; channel: string; kind: string }>(
      'SELECT at, channel, kind FROM contacts WHERE customer_id = ? AND at > ?',
    );
    const insert = this.db.prepare(
      'INSERT INTO contacts (customer_id, at, channel, kind, offer_id, decision_id) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const pending = this.db.prepare(
      'INSERT OR IGNORE INTO unanswered (decision_id, offer_id, at) VALUES (?, ?, ?)',
    );
    const trim = this.db.prepare('DELETE FROM contacts WHERE customer_id = ? AND at < ?');
    const longest = Math.max(...caps.map((c) => c.windowMs));
    const reserve = this.db.transaction((): number[] => {
      trim.run(customerId, at - HISTORY_MS);
      const existing = rows.all(customerId, at - longest).filter((r) => countedKinds.includes(r.kind));
      const used = caps.map(
        (cap) =>
          existing.filter((r) => r.at > at - cap.windowMs && (!cap.channel || r.channel === cap.channel))
            .length,
      );
      const applies = (cap: CapRule): boolean => !cap.channel || cap.channel === channel;
      const granted: number[] = [];
      requests.forEach((request, i) => {
        if (granted.length >= limit) return;
        const counted = countedKinds.includes(request.kind);
        if (counted && caps.some((cap, k) => applies(cap) && used[k]! >= cap.max)) return;
        if (counted) caps.forEach((cap, k) => applies(cap) && used[k]!++);
        insert.run(customerId, at, channel, request.kind, request.offerId, request.decisionId);
        pending.run(request.decisionId, request.offerId, at);
        granted.push(i);
      });
      return granted;
    });
    return reserve.immediate();
  }

  async history(customerId: string): Promise<{ contacts: ContactEntry[]; responses: ResponseEntry[] }> {
    const contacts = this.db
      .prepare(
        `SELECT at, channel, kind, offer_id AS offerId, decision_id AS decisionId FROM contacts
         WHERE customer_id = ? ORDER BY at, rowid`,
      )
      .all(customerId) as ContactEntry[];
    const responses = this.db
      .prepare(
        `SELECT at, offer_id AS offerId, decision_id AS decisionId, outcome FROM responses
         WHERE customer_id = ? ORDER BY at, rowid`,
      )
      .all(customerId) as ResponseEntry[];
    return { contacts, responses };
  }

  async putDecision(record: DecisionRecord): Promise<void> {
    // Outcomes live apart (written once each, concurrently); the record is written once.
    const rest = JSON.stringify({ ...record, outcomes: undefined });
    this.db
      .prepare('INSERT OR REPLACE INTO decisions (id, at, data) VALUES (?, ?, ?)')
      .run(record.decisionId, record.at, rest);
  }

  async getDecision(decisionId: string): Promise<DecisionRecord | undefined> {
    const row = this.db
      .prepare<[string], { data: string }>('SELECT data FROM decisions WHERE id = ?')
      .get(decisionId);
    return row ? this.withOutcomes([JSON.parse(row.data) as DecisionRecord])[0] : undefined;
  }

  async addOutcome(decision: DecisionRecord, outcome: OutcomeRecord): Promise<boolean> {
    return this.db
      .transaction(() =>
        this.writeOutcome(decision.customerId, decision.segment, decision.decisionId, outcome),
      )
      .immediate();
  }

  /** Inside a transaction: the outcome once, its response entry, the arm count; off the unanswered queue. */
  private writeOutcome(
    customerId: string,
    segment: string,
    decisionId: string,
    outcome: OutcomeRecord,
  ): boolean {
    const done =
      this.db
        .prepare('INSERT OR IGNORE INTO outcomes (decision_id, offer_id, data) VALUES (?, ?, ?)')
        .run(decisionId, outcome.offerId, JSON.stringify(outcome)).changes === 1;
    if (!done) return false;
    this.db
      .prepare(
        'INSERT INTO responses (customer_id, at, offer_id, decision_id, outcome) VALUES (?, ?, ?, ?, ?)',
      )
      .run(customerId, Date.parse(outcome.at), outcome.offerId, decisionId, outcome.outcome);
    const accepted = outcome.outcome === 'accepted' ? 1 : 0;
    this.db
      .prepare(
        `INSERT INTO arms (arm, accepted, rejected) VALUES (?, ?, ?)
         ON CONFLICT (arm) DO UPDATE SET accepted = accepted + excluded.accepted, rejected = rejected + excluded.rejected`,
      )
      .run(armKey(outcome.offerId, segment), accepted, 1 - accepted);
    this.db
      .prepare('DELETE FROM unanswered WHERE decision_id = ? AND offer_id = ?')
      .run(decisionId, outcome.offerId);
    return true;
  }

  async settleUnanswered(
    madeBefore: number,
    waitMs: number,
    limit: number,
  ): Promise<{ settled: number; dropped: number }> {
    const page = this.db.prepare<[number, number], { decisionId: string; offerId: string; at: number }>(
      `SELECT decision_id AS decisionId, offer_id AS offerId, at FROM unanswered WHERE at <= ?
       ORDER BY at, decision_id, offer_id LIMIT ?`,
    );
    const decision = this.db.prepare<[string], { data: string }>('SELECT data FROM decisions WHERE id = ?');
    const drop = this.db.prepare('DELETE FROM unanswered WHERE decision_id = ? AND offer_id = ?');
    return this.db
      .transaction(() => {
        let settled = 0;
        let dropped = 0;
        for (const row of page.all(madeBefore, limit)) {
          const logged = decision.get(row.decisionId);
          if (!logged) {
            drop.run(row.decisionId, row.offerId);
            dropped++;
            continue;
          }
          const { customerId, segment } = JSON.parse(logged.data) as DecisionRecord;
          const entry: OutcomeRecord = {
            offerId: row.offerId,
            outcome: 'no_answer',
            at: new Date(row.at + waitMs).toISOString(),
            source: 'timeout',
          };
          if (this.writeOutcome(customerId, segment, row.decisionId, entry)) settled++;
          else {
            drop.run(row.decisionId, row.offerId);
            dropped++;
          }
        }
        return { settled, dropped };
      })
      .immediate();
  }

  async armCounts(): Promise<ArmCountMap> {
    const rows = this.db.prepare('SELECT arm, accepted, rejected FROM arms').all() as {
      arm: string;
      accepted: number;
      rejected: number;
    }[];
    return new Map(rows.map((r) => [r.arm, { accepted: r.accepted, rejected: r.rejected }]));
  }

  async decisions(from: string, to: string): Promise<DecisionRecord[]> {
    const rows = this.db
      .prepare<[string, string], { data: string }>(
        'SELECT data FROM decisions WHERE at >= ? AND at < ? ORDER BY at, id',
      )
      .all(from, to);
    return this.withOutcomes(rows.map((r) => JSON.parse(r.data) as DecisionRecord));
  }

  private withOutcomes(records: DecisionRecord[]): DecisionRecord[] {
    const select = this.db.prepare<[string], { data: string }>(
      'SELECT data FROM outcomes WHERE decision_id = ?',
    );
    return records.map((r) => ({
      ...r,
      outcomes: select.all(r.decisionId).map((o) => JSON.parse(o.data) as OutcomeRecord),
    }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
