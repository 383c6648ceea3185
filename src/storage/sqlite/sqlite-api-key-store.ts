/** ApiKeyStore on the embedded SQLite database. */
import { DuplicateRecordError } from '../errors.js';
import { parseInstant } from '../search-query.js';
import type { ApiKeyRecord, ApiKeyStore, Role } from '../types.js';
import type { Statement } from 'better-sqlite3';
import { guard, type SqliteDatabase } from './database.js';

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  hash: string;
  created_at: string;
  revoked_at: string | null;
}

const COLUMNS = 'id, name, role, hash, created_at, revoked_at';

export class SqliteApiKeyStore implements ApiKeyStore {
  constructor(private readonly db: SqliteDatabase) {}

  /**
   * Keys looked up since the database last changed, by hash (every authenticated request looks its
   * key up). `PRAGMA data_version` moves when another connection commits (`voc keys revoke` in
   * another process, the write thread), so a key revoked anywhere stops working at the next request;
   * this store's own writes clear the cache themselves (data_version ignores its own connection).
   */
  private readonly cache = new Map<string, ApiKeyRecord | undefined>();
  private cachedVersion = -1;
  private dataVersion?: Statement<[], number>;

  async insert(record: ApiKeyRecord): Promise<void> {
    this.cache.clear();
    guard(this.db, () => {
      try {
        this.db
          .prepare(
            `INSERT INTO api_keys (id, name, role, hash, created_at, created_at_ms, revoked_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.id,
            record.name,
            record.role,
            record.hash,
            record.createdAt,
            parseInstant(record.createdAt) ?? 0,
            record.revokedAt ?? null,
          );
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new DuplicateRecordError(`an API key with id ${record.id} or the same hash exists`, {
            cause: error,
          });
        }
        throw error;
      }
    });
  }

  /** Prepared on first use, then kept: every authenticated request looks a key up, and preparing
   * the statement cost more than running it. */
  private byHash?: Statement<[string], KeyRow>;

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    return guard(this.db, () => {
      this.dataVersion ??= this.db.prepare<[], number>('PRAGMA data_version').pluck();
      const version = this.dataVersion.get()!;
      if (version !== this.cachedVersion) {
        this.cache.clear();
        this.cachedVersion = version;
      }
      if (this.cache.has(hash)) return this.cache.get(hash);
      this.byHash ??= this.db.prepare<[string], KeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE hash = ?`);
      const row = this.byHash.get(hash);
      const record = row === undefined ? undefined : toRecord(row);
      // Unknown keys are not kept: a client trying random keys would only fill the memory.
      if (record) this.cache.set(hash, record);
      return record;
    });
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = guard(this.db, () =>
      this.db.prepare<[], KeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at_ms, id`).all(),
    );
    return rows.map(toRecord);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    this.cache.clear();
    return guard(this.db, () => {
      // The first revocation time is kept: revoking twice must not move the audit trail.
      const result = this.db
        .prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?')
        .run(at, id);
      return result.changes > 0;
    });
  }
}

function toRecord(row: KeyRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: row.id,
    name: row.name,
    role: row.role,
    hash: row.hash,
    createdAt: row.created_at,
  };
  if (row.revoked_at !== null) record.revokedAt = row.revoked_at;
  return record;
}
