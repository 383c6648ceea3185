/** ConversationStore on SQLite + FTS5: the embedded default. One file, no server. */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { StoreWriteError, type WriteFailure } from '../errors.js';
import {
  documentTerms,
  encodeCursor,
  invalidDocumentReason,
  normaliseQuery,
  parseInstant,
  type Cursor,
  type NormalisedQuery,
} from '../search-query.js';
import type { ConversationPage, ConversationQuery, ConversationStore } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';
import { ftsMatchAll, ftsTerm } from './fts-terms.js';

interface Row {
  id: string;
  doc: string;
  t: number;
  score: number;
}

type Params = Record<string, string | number | null>;

export class SqliteConversationStore implements ConversationStore {
  constructor(private readonly db: SqliteDatabase) {}

  async upsertMany(docs: ProcessedConversation[]): Promise<void> {
    const failures: WriteFailure[] = [];
    const valid = docs.filter((doc) => {
      const reason = invalidDocumentReason(doc);
      if (reason !== undefined) failures.push({ id: String(doc.conversation?.id), status: 400, reason });
      return reason === undefined;
    });
    guard(this.db, () => this.writeAll(valid));
    if (failures.length > 0) throw new StoreWriteError(failures);
  }

  private writeAll(docs: ProcessedConversation[]): void {
    // Replacing keeps the row's seq, so the FTS row (rowid = seq) is deleted and rewritten with it.
    const upsert = this.db.prepare<Params, { seq: number }>(`
      INSERT INTO conversations (id, started_at, started_at_ms, channel, customer_id, agent_id, doc, updated_at_ms)
      VALUES (@id, @startedAt, @startedAtMs, @channel, @customerId, @agentId, @doc, @now)
      ON CONFLICT (id) DO UPDATE SET
        started_at = excluded.started_at, started_at_ms = excluded.started_at_ms,
        channel = excluded.channel, customer_id = excluded.customer_id, agent_id = excluded.agent_id,
        doc = excluded.doc, updated_at_ms = excluded.updated_at_ms
      RETURNING seq`);
    const deleteTerms = this.db.prepare('DELETE FROM conversation_terms WHERE rowid = ?');
    const insertTerms = this.db.prepare('INSERT INTO conversation_terms (rowid, terms) VALUES (?, ?)');
    const now = Date.now();
    this.db
      .transaction(() => {
        for (const doc of docs) {
          const c = doc.conversation;
          const row = upsert.get({
            id: c.id,
            startedAt: c.startedAt,
            startedAtMs: parseInstant(c.startedAt) ?? 0,
            channel: c.channel,
            customerId: c.customerId ?? null,
            agentId: c.agentId ?? null,
            doc: JSON.stringify(doc),
            now,
          });
          if (row === undefined) throw new Error(`upsert of ${c.id} returned no row`);
          deleteTerms.run(row.seq);
          insertTerms.run(row.seq, documentTerms(doc).map(ftsTerm).join(' '));
        }
      })
      .immediate();
  }

  async get(id: string): Promise<ProcessedConversation | undefined> {
    const row = guard(this.db, () =>
      this.db.prepare<[string], { doc: string }>('SELECT doc FROM conversations WHERE id = ?').get(id),
    );
    return row === undefined ? undefined : (JSON.parse(row.doc) as ProcessedConversation);
  }

  async search(query: ConversationQuery): Promise<ConversationPage> {
    const q = normaliseQuery(query);
    return guard(this.db, () => this.runSearch(q));
  }

  private runSearch(q: NormalisedQuery): ConversationPage {
    const params: Params = {};
    const where: string[] = [];
    let from = 'conversations c';
    let score = '0.0';
    if (q.terms.length > 0) {
      from = 'conversation_terms JOIN conversations c ON c.seq = conversation_terms.rowid';
      where.push('conversation_terms MATCH @match');
      params.match = ftsMatchAll(q.terms);
      // bm25() is lower-is-better; hits expose higher-is-better like Elasticsearch's _score.
      if (q.sort === 'relevance') score = '-bm25(conversation_terms)';
    }
    if (q.channel !== undefined) {
      where.push('c.channel = @channel');
      params.channel = q.channel;
    }
    if (q.fromMs !== undefined) {
      where.push('c.started_at_ms >= @fromMs');
      params.fromMs = q.fromMs;
    }
    if (q.toMs !== undefined) {
      where.push('c.started_at_ms <= @toMs');
      params.toMs = q.toMs;
    }
    const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db
      .prepare<Params, { n: number }>(`SELECT count(*) AS n FROM ${from} ${filter}`)
      .get(params);

    const inner = `SELECT c.id AS id, c.doc AS doc, c.started_at_ms AS t, ${score} AS score FROM ${from} ${filter}`;
    const { clause, values } = afterClause(q.after);
    const order = q.sort === 'relevance' ? 'score DESC, t DESC, id ASC' : 't DESC, id ASC';
    const rows = this.db
      .prepare<Params, Row>(`SELECT * FROM (${inner}) ${clause} ORDER BY ${order} LIMIT @limit`)
      .all({ ...params, ...values, limit: q.limit + 1 });

    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    return {
      total: total?.n ?? 0,
      hits: page.map((r) => ({
        id: r.id,
        score: r.score,
        document: JSON.parse(r.doc) as ProcessedConversation,
      })),
      next: rows.length > q.limit && last !== undefined ? encodeCursor(cursorOf(q.sort, last)) : undefined,
    };
  }

  async count(): Promise<number> {
    const row = guard(this.db, () =>
      this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conversations').get(),
    );
    return row?.n ?? 0;
  }

  async refresh(): Promise<void> {
    // Committed SQLite writes are visible to the next read: nothing to do.
  }

  async ping(): Promise<void> {
    guard(this.db, () => this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** search_after: strictly after the last hit in (score desc, t desc, id asc) order. */
function afterClause(after: Cursor | undefined): { clause: string; values: Params } {
  if (after === undefined) return { clause: '', values: {} };
  const values: Params = { afterT: after.startedAtMs, afterId: after.id };
  const byTime = '(t < @afterT OR (t = @afterT AND id > @afterId))';
  if (after.sort === 'time') return { clause: `WHERE ${byTime}`, values };
  return {
    clause: `WHERE (score < @afterScore OR (score = @afterScore AND ${byTime}))`,
    values: { ...values, afterScore: after.score },
  };
}

function cursorOf(sort: NormalisedQuery['sort'], row: Row): Cursor {
  return sort === 'relevance'
    ? { sort, score: row.score, startedAtMs: row.t, id: row.id }
    : { sort, startedAtMs: row.t, id: row.id };
}
