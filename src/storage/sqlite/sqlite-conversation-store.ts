/** ConversationStore on SQLite + FTS5: the embedded default. One file, no server. */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { StoreUnavailableError, StoreWriteError, type WriteFailure } from '../errors.js';
import { invalidDocumentReason, normaliseQuery } from '../search-query.js';
import type { ConversationPage, ConversationQuery, ConversationStore, SearchOptions } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';
import { writeConversations } from './conversation-writes.js';
import type { SearchPool } from './search-pool.js';
import type { WriteThread } from './write-thread.js';
import { searchPage } from './sqlite-search-page.js';
import { rewriteInPlace } from '../rewrite-in-place.js';
import { withDisjunctiveFacets } from '../facet-filters.js';

export class SqliteConversationStore implements ConversationStore {
  /**
   * With a pool, searches run in its worker threads; with a write thread, writes run there (off the
   * event loop: write-thread.ts); without either, on the caller's thread.
   */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly pool?: SearchPool,
    private readonly writer?: WriteThread,
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
    if (pending.length > 0)
      writeConversations(
        this.db,
        pending.map((r) => JSON.parse(r.doc) as ProcessedConversation),
      );
    this.db.prepare('DELETE FROM search_reindex').run();
  }

  async upsertMany(docs: ProcessedConversation[]): Promise<void> {
    const failures: WriteFailure[] = [];
    const valid = docs.filter((doc) => {
      const reason = invalidDocumentReason(doc);
      if (reason !== undefined) failures.push({ id: String(doc.conversation?.id), status: 400, reason });
      return reason === undefined;
    });
    if (this.writer !== undefined) {
      if (!this.db.open) throw new StoreUnavailableError('the SQLite database is closed');
      if (valid.length > 0) await this.writer.write(valid);
    } else guard(this.db, () => writeConversations(this.db, valid));
    if (failures.length > 0) throw new StoreWriteError(failures);
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
    await this.writer?.close();
    await this.pool?.close();
    if (this.db.open) this.db.close();
  }
}
