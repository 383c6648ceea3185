/** CorrectionStore on the embedded SQLite database. */
import type { Correction } from '../../domain/correction.js';
import { atMs, encodeCorrectionCursor, normaliseCorrectionQuery, oldestFirst } from '../correction-query.js';
import { DuplicateRecordError } from '../errors.js';
import type { CorrectionPage, CorrectionQuery, CorrectionStore } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';

/** SQLite caps bound parameters per statement (32766 by default); ids are looked up in chunks. */
const ID_CHUNK = 500;

export class SqliteCorrectionStore implements CorrectionStore {
  constructor(private readonly db: SqliteDatabase) {}

  async insert(correction: Correction): Promise<void> {
    guard(this.db, () => {
      try {
        this.db
          .prepare(
            'INSERT INTO corrections (id, conversation_id, label, at_ms, record) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            correction.id,
            correction.conversationId,
            correction.label,
            atMs(correction),
            JSON.stringify(correction),
          );
      } catch (error) {
        if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DuplicateRecordError(`a correction with id ${correction.id} exists`, { cause: error });
        }
        throw error;
      }
    });
  }

  async list(query: CorrectionQuery): Promise<CorrectionPage> {
    const q = normaliseCorrectionQuery(query);
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.conversationId !== undefined) {
      where.push('conversation_id = ?');
      params.push(q.conversationId);
    }
    if (q.label !== undefined) {
      where.push('label = ?');
      params.push(q.label);
    }
    if (q.after !== undefined) {
      where.push('(at_ms < ? OR (at_ms = ? AND id < ?))');
      params.push(q.after.atMs, q.after.atMs, q.after.id);
    }
    const rows = guard(this.db, () =>
      this.db
        .prepare<(string | number)[], { record: string }>(
          `SELECT record FROM corrections ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY at_ms DESC, id DESC LIMIT ?`,
        )
        .all(...params, q.limit + 1),
    );
    const items = rows.slice(0, q.limit).map((r) => JSON.parse(r.record) as Correction);
    const last = items.at(-1);
    return {
      items,
      ...(rows.length > q.limit && last !== undefined
        ? { next: encodeCorrectionCursor({ atMs: atMs(last), id: last.id }) }
        : {}),
    };
  }

  async forConversations(conversationIds: readonly string[]): Promise<Correction[]> {
    const ids = [...new Set(conversationIds)];
    const out: { atMs: number; id: string; correction: Correction }[] = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      const chunk = ids.slice(i, i + ID_CHUNK);
      const rows = guard(this.db, () =>
        this.db
          .prepare<string[], { record: string; at_ms: number; id: string }>(
            `SELECT record, at_ms, id FROM corrections WHERE conversation_id IN (${chunk.map(() => '?').join(',')})`,
          )
          .all(...chunk),
      );
      for (const r of rows)
        out.push({ atMs: r.at_ms, id: r.id, correction: JSON.parse(r.record) as Correction });
    }
    // Sorted here rather than in SQL: chunks would otherwise each be sorted on their own.
    return out.sort(oldestFirst).map((x) => x.correction);
  }
}
