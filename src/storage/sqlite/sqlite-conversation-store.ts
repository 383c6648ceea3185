/** ConversationStore on SQLite + FTS5: the embedded default. One file, no server. */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { StoreWriteError, type WriteFailure } from '../errors.js';
import { documentTerms, invalidDocumentReason, normaliseQuery, parseInstant } from '../search-query.js';
import { labelKeys, speakerField, utteranceUnits } from '../text-query.js';
import type { ConversationPage, ConversationQuery, ConversationStore, SearchOptions } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';
import { ftsTerm } from './fts-terms.js';
import type { SearchPool } from './search-pool.js';
import { UTTERANCE_SLOTS, type Params } from './sqlite-search.js';
import { searchPage } from './sqlite-search-page.js';
import { rewriteInPlace } from '../rewrite-in-place.js';
import { withDisjunctiveFacets } from '../facet-filters.js';

export class SqliteConversationStore implements ConversationStore {
  /** With a pool, searches run in its worker threads; without, on the caller's thread. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly pool?: SearchPool,
  ) {
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
    const before = this.db.prepare<[string], { seq: number; n: number; uploadSeq: number | null }>(
      "SELECT seq, utterance_count AS n, json_extract(doc, '$.uploadSeq') AS uploadSeq FROM conversations WHERE id = ?",
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
          // A lower upload sequence than the stored one is an older upload whose job ran late.
          if (old?.uploadSeq != null && doc.uploadSeq !== undefined && doc.uploadSeq < old.uploadSeq)
            continue;
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

  async getMany(ids: readonly string[]): Promise<(ProcessedConversation | undefined)[]> {
    const found = new Map<string, string>();
    // Chunks well under SQLite's bound-parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = guard(this.db, () =>
        this.db
          .prepare<string[], { id: string; doc: string }>(
            `SELECT id, doc FROM conversations WHERE id IN (${chunk.map(() => '?').join(',')})`,
          )
          .all(...chunk),
      );
      for (const r of rows) found.set(r.id, r.doc);
    }
    return ids.map((id) => {
      const doc = found.get(id);
      return doc === undefined ? undefined : (JSON.parse(doc) as ProcessedConversation);
    });
  }

  async search(query: ConversationQuery, options: SearchOptions = {}): Promise<ConversationPage> {
    const run = (sub: ConversationQuery): Promise<ConversationPage> => {
      normaliseQuery(sub); // invalid input fails here, before it takes a worker
      if (this.pool !== undefined) return this.pool.run(sub, options.signal);
      return Promise.resolve(guard(this.db, () => searchPage(this.db, sub)));
    };
    return withDisjunctiveFacets(query, await run(query), run);
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
    await this.pool?.close();
    if (this.db.open) this.db.close();
  }
}
