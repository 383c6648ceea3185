import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Consent, TagChange } from '../../domain/tag.js';
import type { ComputedTag } from '../../profiles/compute-tags.js';
import { planTagChanges, type StoredTag } from '../../profiles/plan-tag-changes.js';
import type { ConversationSignals } from '../../profiles/signals.js';
import { InvalidQueryError } from '../errors.js';
import {
  decodeFeedCursor,
  encodeFeedCursor,
  FeedGoneError,
  type ApplyResult,
  type CustomerState,
  type FeedPage,
  type ProfileStore,
} from '../profile-store.js';

interface MetaRow {
  version: number;
  revision: number;
  applied_revision: number;
  consent: string | null;
}

/**
 * Profiles in the embedded mode: DATA_DIR/profiles.db. A tag change and its feed entry are written in
 * one transaction; the feed's order is an AUTOINCREMENT sequence, so a cursor is a plain number.
 */
export class SqliteProfileStore implements ProfileStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'profiles.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS signals (conversation_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS signals_customer ON signals(customer_id);
      CREATE TABLE IF NOT EXISTS customers (customer_id TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 0,
        revision INTEGER NOT NULL DEFAULT 0, applied_revision INTEGER NOT NULL DEFAULT 0, consent TEXT);
      CREATE TABLE IF NOT EXISTS tags (customer_id TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,
        valid_until TEXT NOT NULL, fingerprint TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (customer_id, key));
      CREATE INDEX IF NOT EXISTS tags_key ON tags(key, status, customer_id);
      CREATE INDEX IF NOT EXISTS tags_expiry ON tags(status, valid_until);
      CREATE TABLE IF NOT EXISTS tag_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, customer_id TEXT NOT NULL,
        key TEXT NOT NULL, change TEXT NOT NULL, version INTEGER NOT NULL, at TEXT NOT NULL, tag TEXT);
      CREATE TABLE IF NOT EXISTS feed_trimmed (id INTEGER PRIMARY KEY CHECK (id = 1), below INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS erasures (customer_id TEXT PRIMARY KEY, at TEXT NOT NULL);`);
  }

  async putSignals(signals: ConversationSignals[]): Promise<Map<string, number>> {
    const touched = new Map<string, number>();
    const before = this.stmt<[string], { customer_id: string }>(
      'SELECT customer_id FROM signals WHERE conversation_id = ?',
    );
    const upsert = this.stmt(
      `INSERT INTO signals (conversation_id, customer_id, data) VALUES (?, ?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET customer_id = excluded.customer_id, data = excluded.data`,
    );
    const bump = this.stmt<[string], { revision: number }>(
      `INSERT INTO customers (customer_id, revision) VALUES (?, 1)
       ON CONFLICT (customer_id) DO UPDATE SET revision = revision + 1 RETURNING revision`,
    );
    this.db.transaction(() => {
      for (const s of signals) {
        const former = before.get(s.conversationId)?.customer_id;
        upsert.run(s.conversationId, s.customerId, JSON.stringify(s));
        for (const customer of new Set([s.customerId, ...(former ? [former] : [])]))
          touched.set(customer, bump.get(customer)!.revision);
      }
    })();
    return touched;
  }

  async load(customerId: string): Promise<{ signals: ConversationSignals[]; state: CustomerState }> {
    return this.db.transaction(() => ({
      signals: (
        this.stmt('SELECT data FROM signals WHERE customer_id = ?').all(customerId) as {
          data: string;
        }[]
      ).map((r) => JSON.parse(r.data) as ConversationSignals),
      state: this.state(customerId),
    }))();
  }

  async loadState(customerId: string): Promise<CustomerState> {
    // One read transaction, as load: the customer's row and tags from the same snapshot.
    return this.db.transaction(() => this.state(customerId))();
  }

  async applyTags(
    customerId: string,
    computed: ComputedTag[],
    revision: number,
    at: string,
  ): Promise<ApplyResult> {
    return this.db.transaction(() => this.applyOne(customerId, computed, revision, at))();
  }

  async applyMany(
    items: { customerId: string; computed: ComputedTag[]; revision: number }[],
    at: string,
  ): Promise<ApplyResult[]> {
    return this.db.transaction(() =>
      items.map((item) => this.applyOne(item.customerId, item.computed, item.revision, at)),
    )();
  }

  /** One customer's diff, writes and feed entries; the caller holds the transaction. */
  private applyOne(customerId: string, computed: ComputedTag[], revision: number, at: string): ApplyResult {
    const meta = this.meta(customerId);
    if (meta && revision < meta.applied_revision) return { changes: [], stale: true };
    const state = this.state(customerId, meta);
    const stored = new Map(state.tags.map((t) => [t.tag.key, t]));
    const plan = planTagChanges(customerId, stored, computed, state.version, at);
    const write = this.stmt(
      `INSERT INTO tags (customer_id, key, status, valid_until, fingerprint, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (customer_id, key) DO UPDATE SET status = excluded.status, valid_until = excluded.valid_until,
       fingerprint = excluded.fingerprint, data = excluded.data`,
    );
    for (const w of plan.writes)
      write.run(customerId, w.tag.key, w.tag.status, w.tag.validUntil, w.fingerprint, JSON.stringify(w.tag));
    const drop = this.stmt('DELETE FROM tags WHERE customer_id = ? AND key = ?');
    for (const key of plan.deletes) drop.run(customerId, key);
    this.stmt(
      `INSERT INTO customers (customer_id, version, applied_revision) VALUES (?, ?, ?)
         ON CONFLICT (customer_id) DO UPDATE SET version = excluded.version,
         applied_revision = MAX(applied_revision, excluded.applied_revision)`,
    ).run(customerId, plan.version, revision);
    return { changes: this.append(plan.changes), stale: false };
  }

  async setConsent(customerId: string, consent: Consent): Promise<number> {
    return this.stmt<[string, string], { revision: number }>(
      `INSERT INTO customers (customer_id, revision, consent) VALUES (?, 1, ?)
         ON CONFLICT (customer_id) DO UPDATE SET consent = excluded.consent, revision = revision + 1
         RETURNING revision`,
    ).get(customerId, JSON.stringify(consent))!.revision;
  }

  async customersWithTag(key: string, limit: number, after?: string): Promise<string[]> {
    return (
      this.stmt(
        `SELECT customer_id FROM tags WHERE key = ? AND status = 'active' AND customer_id > ?
           ORDER BY customer_id LIMIT ?`,
      ).all(key, after ?? '', limit) as { customer_id: string }[]
    ).map((r) => r.customer_id);
  }

  async dueForExpiry(before: string, limit: number): Promise<string[]> {
    return (
      this.stmt(
        `SELECT DISTINCT customer_id FROM tags WHERE status = 'active' AND valid_until <= ? LIMIT ?`,
      ).all(before, limit) as { customer_id: string }[]
    ).map((r) => r.customer_id);
  }

  async feed(cursor: string | undefined, limit: number): Promise<FeedPage> {
    const after = cursor === undefined ? 0 : Number(decodeFeedCursor('s', cursor));
    if (!Number.isSafeInteger(after) || after < 0)
      throw new InvalidQueryError('cursor: not a cursor this feed gave out');
    const trimmedBelow = (this.stmt('SELECT below FROM feed_trimmed').get() as { below: number } | undefined)
      ?.below;
    if (cursor !== undefined && trimmedBelow !== undefined && after < trimmedBelow - 1) {
      throw new FeedGoneError(
        'cursor: the changes after this cursor are older than the feed keeps; read GET /v1/tag-feed/snapshot and continue from its cursor',
      );
    }
    const rows = this.stmt('SELECT * FROM tag_feed WHERE seq > ? ORDER BY seq LIMIT ?').all(
      after,
      limit + 1,
    ) as FeedRow[];
    const page = rows.slice(0, limit);
    const last = page.length ? page[page.length - 1]!.seq : after;
    return {
      changes: page.map(toChange),
      cursor: encodeFeedCursor('s', String(last)),
      hasMore: rows.length > limit,
    };
  }

  async feedHead(): Promise<string> {
    const row = this.stmt('SELECT MAX(seq) AS seq FROM tag_feed').get() as { seq: number | null };
    return encodeFeedCursor('s', String(row.seq ?? 0));
  }

  async customers(limit: number, after?: string): Promise<string[]> {
    return (
      this.stmt(
        'SELECT DISTINCT customer_id FROM tags WHERE customer_id > ? ORDER BY customer_id LIMIT ?',
      ).all(after ?? '', limit) as { customer_id: string }[]
    ).map((r) => r.customer_id);
  }

  async trimFeed(before: string): Promise<number> {
    return this.db.transaction(() => {
      const last = this.stmt('SELECT MAX(seq) AS seq FROM tag_feed WHERE at < ?').get(before) as {
        seq: number | null;
      };
      if (last.seq === null) return 0;
      const removed = this.stmt('DELETE FROM tag_feed WHERE seq <= ?').run(last.seq).changes;
      this.stmt(
        'INSERT INTO feed_trimmed (id, below) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET below = MAX(below, excluded.below)',
      ).run(last.seq + 1);
      return removed;
    })();
  }

  async erase(customerId: string, at: string): Promise<TagChange[]> {
    return this.db.transaction(() => {
      const state = this.state(customerId);
      let version = state.version;
      const tombstones = state.tags.map((t) => ({
        customerId,
        key: t.tag.key,
        change: 'deleted' as const,
        version: ++version,
        at,
      }));
      this.stmt('DELETE FROM signals WHERE customer_id = ?').run(customerId);
      this.stmt('DELETE FROM tags WHERE customer_id = ?').run(customerId);
      this.stmt('DELETE FROM customers WHERE customer_id = ?').run(customerId);
      this.stmt(
        'INSERT INTO erasures (customer_id, at) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET at = excluded.at',
      ).run(customerId, at);
      return this.append(tombstones);
    })();
  }

  async erasedAt(customerId: string): Promise<string | undefined> {
    return (
      this.stmt('SELECT at FROM erasures WHERE customer_id = ?').get(customerId) as { at: string } | undefined
    )?.at;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Prepared once per SQL text (a prepare costs more than the small reads and writes here). */
  private readonly statements = new Map<string, Database.Statement>();

  private stmt<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement as unknown as Database.Statement<P, R>;
  }

  private meta(customerId: string): MetaRow | undefined {
    return this.stmt('SELECT * FROM customers WHERE customer_id = ?').get(customerId) as MetaRow | undefined;
  }

  private state(customerId: string, meta = this.meta(customerId)): CustomerState {
    const tags = (
      this.stmt('SELECT fingerprint, data FROM tags WHERE customer_id = ? ORDER BY key').all(customerId) as {
        fingerprint: string;
        data: string;
      }[]
    ).map((r): StoredTag => ({ fingerprint: r.fingerprint, tag: JSON.parse(r.data) as StoredTag['tag'] }));
    return {
      customerId,
      version: meta?.version ?? 0,
      revision: meta?.revision ?? 0,
      consent: meta?.consent ? (JSON.parse(meta.consent) as Consent) : {},
      tags,
    };
  }

  private append(changes: Omit<TagChange, 'id'>[]): TagChange[] {
    const insert = this.stmt<[string, string, string, number, string, string | null], { seq: number }>(
      'INSERT INTO tag_feed (customer_id, key, change, version, at, tag) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq',
    );
    return changes.map((c) => {
      const { seq } = insert.get(
        c.customerId,
        c.key,
        c.change,
        c.version,
        c.at,
        c.tag ? JSON.stringify(c.tag) : null,
      )!;
      return { ...c, id: String(seq) };
    });
  }
}

interface FeedRow {
  seq: number;
  customer_id: string;
  key: string;
  change: TagChange['change'];
  version: number;
  at: string;
  tag: string | null;
}

function toChange(row: FeedRow): TagChange {
  return {
    id: String(row.seq),
    customerId: row.customer_id,
    key: row.key,
    change: row.change,
    version: row.version,
    at: row.at,
    ...(row.tag ? { tag: JSON.parse(row.tag) as TagChange['tag'] } : {}),
  };
}
