/** SavedSearchStore and AuditLog on the embedded SQLite database. */
import { DuplicateRecordError } from '../errors.js';
import { parseInstant } from '../search-query.js';
import type { AuditEntry, AuditLog, SavedSearch, SavedSearchStore } from '../types.js';
import { guard, type SqliteDatabase } from './database.js';

interface SavedRow {
  id: string;
  name: string;
  owner: string;
  owner_name: string;
  shared: number;
  query: string;
  created_at: string;
}

const COLUMNS = 'id, name, owner, owner_name, shared, query, created_at';

export class SqliteSavedSearchStore implements SavedSearchStore {
  constructor(private readonly db: SqliteDatabase) {}

  async insert(search: SavedSearch): Promise<void> {
    guard(this.db, () => {
      try {
        this.db
          .prepare(
            'INSERT INTO saved_searches (id, name, owner, owner_name, shared, query, created_at, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            search.id,
            search.name,
            search.owner,
            search.ownerName,
            search.shared ? 1 : 0,
            JSON.stringify(search.query),
            search.createdAt,
            parseInstant(search.createdAt) ?? 0,
          );
      } catch (error) {
        if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
          throw new DuplicateRecordError(`a saved search with id ${search.id} exists`, { cause: error });
        }
        throw error;
      }
    });
  }

  async listByOwner(owner: string): Promise<SavedSearch[]> {
    const rows = guard(this.db, () =>
      this.db
        .prepare<[string], SavedRow>(
          `SELECT ${COLUMNS} FROM saved_searches WHERE owner = ? ORDER BY created_at_ms DESC, id DESC`,
        )
        .all(owner),
    );
    return rows.map(toSaved);
  }

  async listVisible(owner: string): Promise<SavedSearch[]> {
    const rows = guard(this.db, () =>
      this.db
        .prepare<[string], SavedRow>(
          `SELECT ${COLUMNS} FROM saved_searches WHERE owner = ? OR shared = 1 ORDER BY created_at_ms DESC, id DESC`,
        )
        .all(owner),
    );
    return rows.map(toSaved);
  }

  async setShared(id: string, shared: boolean): Promise<boolean> {
    return guard(
      this.db,
      () =>
        this.db.prepare('UPDATE saved_searches SET shared = ? WHERE id = ?').run(shared ? 1 : 0, id).changes >
        0,
    );
  }

  async get(id: string): Promise<SavedSearch | undefined> {
    const row = guard(this.db, () =>
      this.db.prepare<[string], SavedRow>(`SELECT ${COLUMNS} FROM saved_searches WHERE id = ?`).get(id),
    );
    return row === undefined ? undefined : toSaved(row);
  }

  async delete(id: string): Promise<boolean> {
    return guard(
      this.db,
      () => this.db.prepare('DELETE FROM saved_searches WHERE id = ?').run(id).changes > 0,
    );
  }
}

function toSaved(row: SavedRow): SavedSearch {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    ownerName: row.owner_name,
    shared: row.shared === 1,
    query: JSON.parse(row.query) as Record<string, unknown>,
    createdAt: row.created_at,
  };
}

/** Append-only: the table has no UPDATE or DELETE path in the code. */
export class SqliteAuditLog implements AuditLog {
  constructor(private readonly db: SqliteDatabase) {}

  async append(entry: AuditEntry): Promise<void> {
    guard(this.db, () => {
      try {
        this.db
          .prepare('INSERT INTO audit_log (id, at_ms, entry) VALUES (?, ?, ?)')
          .run(entry.id, parseInstant(entry.at) ?? Date.now(), JSON.stringify(entry));
      } catch (error) {
        if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DuplicateRecordError(`an audit entry with id ${entry.id} exists`, { cause: error });
        }
        throw error;
      }
    });
  }

  async list(limit: number): Promise<AuditEntry[]> {
    const rows = guard(this.db, () =>
      this.db
        .prepare<[number], { entry: string }>(
          'SELECT entry FROM audit_log ORDER BY at_ms DESC, id DESC LIMIT ?',
        )
        .all(limit),
    );
    return rows.map((r) => JSON.parse(r.entry) as AuditEntry);
  }
}
