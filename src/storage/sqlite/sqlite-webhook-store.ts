import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  DeadLetter,
  DeliveryAttempt,
  Webhook,
  WebhookProgress,
  WebhookStore,
} from '../webhook-store.js';

interface WebhookRow {
  id: string;
  url: string;
  keys: string;
  secret: string;
  created_at: string;
  status: Webhook['status'];
  progress: string;
}

/**
 * Webhooks in the embedded mode: DATA_DIR/webhooks.db (WAL, synchronous=FULL, like the queue), so a
 * cursor advanced after a 2xx survives a crash. The lease is a row column compared with the clock.
 */
export class SqliteWebhookStore implements WebhookStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'webhooks.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS webhooks (id TEXT PRIMARY KEY, url TEXT NOT NULL, keys TEXT NOT NULL,
        secret TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL, progress TEXT NOT NULL,
        lease_owner TEXT, lease_until INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE IF NOT EXISTS webhook_attempts (seq INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook_id TEXT NOT NULL, data TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS webhook_attempts_by_webhook ON webhook_attempts(webhook_id, seq);
      CREATE TABLE IF NOT EXISTS webhook_dead_letters (seq INTEGER PRIMARY KEY AUTOINCREMENT,
        webhook_id TEXT NOT NULL, message_id TEXT NOT NULL, state TEXT NOT NULL, data TEXT NOT NULL,
        UNIQUE (webhook_id, message_id));`);
  }

  async create(webhook: Webhook, progress: WebhookProgress): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO webhooks (id, url, keys, secret, created_at, status, progress) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        webhook.id,
        webhook.url,
        JSON.stringify(webhook.keys),
        webhook.secret,
        webhook.createdAt,
        webhook.status,
        JSON.stringify(progress),
      );
  }

  async get(id: string): Promise<Webhook | undefined> {
    const row = this.db.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
    return row && toWebhook(row);
  }

  async list(): Promise<Webhook[]> {
    const rows = this.db.prepare('SELECT * FROM webhooks ORDER BY created_at, id').all() as WebhookRow[];
    return rows.map(toWebhook);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM webhook_attempts WHERE webhook_id = ?').run(id);
      this.db.prepare('DELETE FROM webhook_dead_letters WHERE webhook_id = ?').run(id);
      return this.db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
    })();
  }

  async setStatus(id: string, status: Webhook['status']): Promise<void> {
    this.db.prepare('UPDATE webhooks SET status = ? WHERE id = ?').run(status, id);
  }

  async progress(id: string): Promise<WebhookProgress | undefined> {
    const row = this.db.prepare('SELECT progress FROM webhooks WHERE id = ?').get(id) as
      { progress: string } | undefined;
    return row && (JSON.parse(row.progress) as WebhookProgress);
  }

  async saveProgress(
    id: string,
    expectedCursor: string | undefined,
    progress: WebhookProgress,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const current = this.db.prepare('SELECT progress FROM webhooks WHERE id = ?').get(id) as
        { progress: string } | undefined;
      if (!current || (JSON.parse(current.progress) as WebhookProgress).cursor !== expectedCursor)
        return false;
      this.db.prepare('UPDATE webhooks SET progress = ? WHERE id = ?').run(JSON.stringify(progress), id);
      return true;
    })();
  }

  async lease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    return (
      this.db
        .prepare(
          `UPDATE webhooks SET lease_owner = ?, lease_until = ?
           WHERE id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)`,
        )
        .run(owner, now + ttlMs, id, owner, now).changes > 0
    );
  }

  async release(id: string, owner: string): Promise<void> {
    this.db
      .prepare('UPDATE webhooks SET lease_owner = NULL, lease_until = 0 WHERE id = ? AND lease_owner = ?')
      .run(id, owner);
  }

  async logAttempt(id: string, attempt: DeliveryAttempt, keep: number): Promise<void> {
    this.db.transaction(() => {
      const { seq } = this.db
        .prepare('INSERT INTO webhook_attempts (webhook_id, data) VALUES (?, ?) RETURNING seq')
        .get(id, JSON.stringify(attempt)) as { seq: number };
      this.db.prepare('DELETE FROM webhook_attempts WHERE webhook_id = ? AND seq <= ?').run(id, seq - keep);
    })();
  }

  async attempts(id: string, limit: number): Promise<DeliveryAttempt[]> {
    const rows = this.db
      .prepare('SELECT data FROM webhook_attempts WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?')
      .all(id, limit) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as DeliveryAttempt);
  }

  async putDeadLetter(id: string, letter: DeadLetter): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO webhook_dead_letters (webhook_id, message_id, state, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (webhook_id, message_id) DO UPDATE SET state = excluded.state, data = excluded.data`,
      )
      .run(id, letter.messageId, letter.state, JSON.stringify(letter));
  }

  async deadLetters(id: string): Promise<DeadLetter[]> {
    const rows = this.db
      .prepare('SELECT state, data FROM webhook_dead_letters WHERE webhook_id = ? ORDER BY seq')
      .all(id) as { state: DeadLetter['state']; data: string }[];
    return rows.map((r) => ({ ...(JSON.parse(r.data) as DeadLetter), state: r.state }));
  }

  async removeDeadLetter(id: string, messageId: string): Promise<void> {
    this.db
      .prepare('DELETE FROM webhook_dead_letters WHERE webhook_id = ? AND message_id = ?')
      .run(id, messageId);
  }

  async queueDeadLetters(id: string): Promise<number> {
    return this.db
      .prepare(`UPDATE webhook_dead_letters SET state = 'queued' WHERE webhook_id = ? AND state = 'dead'`)
      .run(id).changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    keys: JSON.parse(row.keys) as string[],
    secret: row.secret,
    createdAt: row.created_at,
    status: row.status,
  };
}
