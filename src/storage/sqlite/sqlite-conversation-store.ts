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
import { labelKeys, simplifyTextQuery, speakerField, utteranceUnits } from '../text-query.js';
import type { ConversationPage, ConversationQuery, ConversationStore } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';
import { ftsMatchAll, ftsTerm } from './fts-terms.js';
import {
  TextCompiler,
  UTTERANCE_SLOTS,
  bucketExpression,
  filterConditions,
  toFacetCounts,
  type Params,
} from './sqlite-search.js';
import { rewriteInPlace } from '../rewrite-in-place.js';
import { withDisjunctiveFacets } from '../facet-filters.js';

interface Row {
  id: string;
  doc: string;
  t: number;
  score: number;
}

export class SqliteConversationStore implements ConversationStore {
  constructor(private readonly db: SqliteDatabase) {
    this.rebuildPending();
  }

  /** Rows stored before schema 2 get their utterance units and labels written once, on open. */
  private rebuildPending(): void {
    const pending = this.db
      .prepare<[], { doc: string }>(
        'SELECT c.doc AS doc FROM search_reindex r JOIN conversations c ON c.seq = r.seq',
      )
      .all();
    if (pending.length > 0) this.writeAll(pending.map((r) => JSON.parse(r.doc) as ProcessedConversation));
    this.db.prepare('DELETE FROM search_reindex').run();
  }

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
    const before = this.db.prepare<[string], { seq: number; n: number }>(
      'SELECT seq, utterance_count AS n FROM conversations WHERE id = ?',
    );
    const upsert = this.db.prepare<Params, { seq: number }>(`
      INSERT INTO conversations (id, started_at, started_at_ms, channel, customer_id, agent_id, doc, updated_at_ms,
        utterance_count, sentiment, complaint)
      VALUES (@id, @startedAt, @startedAtMs, @channel, @customerId, @agentId, @doc, @now, @utterances, @sentiment, @complaint)
      ON CONFLICT (id) DO UPDATE SET
        started_at = excluded.started_at, started_at_ms = excluded.started_at_ms,
        channel = excluded.channel, customer_id = excluded.customer_id, agent_id = excluded.agent_id,
        doc = excluded.doc, updated_at_ms = excluded.updated_at_ms, utterance_count = excluded.utterance_count,
        sentiment = excluded.sentiment, complaint = excluded.complaint
      RETURNING seq`);
    const deleteTerms = this.db.prepare('DELETE FROM conversation_terms WHERE rowid = ?');
    const insertTerms = this.db.prepare('INSERT INTO conversation_terms (rowid, terms) VALUES (?, ?)');
    const deleteUnits = this.db.prepare('DELETE FROM utterance_units WHERE rowid = ?');
    const insertUnits = this.db.prepare(
      'INSERT INTO utterance_units (rowid, customer, agent, other) VALUES (?, ?, ?, ?)',
    );
    const deleteLabels = this.db.prepare('DELETE FROM conversation_labels WHERE seq = ?');
    const insertLabel = this.db.prepare(
      'INSERT OR IGNORE INTO conversation_labels (label, seq) VALUES (?, ?)',
    );
    const now = Date.now();
    this.db
      .transaction(() => {
        for (const doc of docs) {
          const c = doc.conversation;
          const old = before.get(c.id);
          // utterance_count says which slots hold units (0 for rows from before schema 2: none yet).
          for (let i = 0; old !== undefined && i < Math.min(old.n, UTTERANCE_SLOTS); i++) {
            deleteUnits.run(old.seq * UTTERANCE_SLOTS + i);
          }
          const row = upsert.get({
            id: c.id,
            startedAt: c.startedAt,
            startedAtMs: parseInstant(c.startedAt) ?? 0,
            channel: c.channel,
            customerId: c.customerId ?? null,
            agentId: c.agentId ?? null,
            doc: JSON.stringify(doc),
            now,
            utterances: c.utterances.length,
            sentiment: doc.analysis.sentiment.customer,
            complaint: doc.analysis.complaint.is ? 1 : 0,
          });
          if (row === undefined) throw new Error(`upsert of ${c.id} returned no row`);
          deleteTerms.run(row.seq);
          insertTerms.run(row.seq, documentTerms(doc).map(ftsTerm).join(' '));
          deleteLabels.run(row.seq);
          for (const label of labelKeys(doc)) insertLabel.run(label, row.seq);
          utteranceUnits(doc).forEach((units, i) => {
            if (i >= UTTERANCE_SLOTS || units.length === 0) return;
            const text = units.map(ftsTerm).join(' ');
            const field = speakerField(c.utterances[i]?.speaker ?? 'other');
            insertUnits.run(
              row.seq * UTTERANCE_SLOTS + i,
              field === 'customer' ? text : null,
              field === 'agent' ? text : null,
              field === 'other' ? text : null,
            );
          });
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
    const run = (sub: ConversationQuery): ConversationPage => {
      const q = normaliseQuery(sub);
      return guard(this.db, () => this.runSearch(q, sub));
    };
    return withDisjunctiveFacets(query, run(query), async (sub) => run(sub));
  }

  private runSearch(q: NormalisedQuery, query: ConversationQuery): ConversationPage {
    const params: Params = {};
    const where: string[] = filterConditions(query.filters, params);
    let from = 'conversations c';
    let score = '0.0';
    const text = simplifyTextQuery(query.text);
    const compiler = new TextCompiler(params);
    if (text !== undefined) where.push(compiler.condition(text));
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

    let scored = from;
    const hits = text !== undefined && q.sort === 'relevance' ? compiler.hitsSubquery(text) : undefined;
    if (hits !== undefined) {
      scored = `${from} LEFT JOIN (${hits}) h ON h.conv = c.seq`;
      score = `${score} + coalesce(h.hits, 0) * 1.0 / (c.utterance_count + 5)`;
    }
    const inner = `SELECT c.id AS id, c.doc AS doc, c.started_at_ms AS t, ${score} AS score FROM ${scored} ${filter}`;
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
      ...(query.facets === true ? { facets: this.facets(from, filter, params) } : {}),
      ...(query.histogram !== undefined
        ? {
            histogram: this.db
              .prepare<Params, { key: string; count: number }>(
                `SELECT ${bucketExpression(query.histogram)} AS key, count(*) AS count FROM ${from} ${filter} GROUP BY key ORDER BY key`,
              )
              .all(params),
          }
        : {}),
    };
  }

  private facets(from: string, filter: string, params: Params): ReturnType<typeof toFacetCounts> {
    const grouped = (sql: string): { k: string; n: number }[] =>
      this.db.prepare<Params, { k: string; n: number }>(sql).all(params);
    const matching = `SELECT c.seq FROM ${from} ${filter}`;
    return toFacetCounts(
      grouped(
        `SELECT label AS k, count(*) AS n FROM conversation_labels WHERE seq IN (${matching}) GROUP BY label`,
      ),
      grouped(`SELECT c.channel AS k, count(*) AS n FROM ${from} ${filter} GROUP BY c.channel`),
      grouped(
        `SELECT c.agent_id AS k, count(*) AS n FROM ${from} ${filter} ${filter === '' ? 'WHERE' : 'AND'} c.agent_id IS NOT NULL GROUP BY c.agent_id`,
      ),
    );
  }

  rebuild(rewrite: (docs: ProcessedConversation[]) => Promise<ProcessedConversation[]>): Promise<void> {
    return rewriteInPlace(this, rewrite);
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
