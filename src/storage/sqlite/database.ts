import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../errors.js';
import { MIGRATIONS } from './migrations.js';

export type SqliteDatabase = Database.Database;

export const DATABASE_FILE = 'voc.db';

/**
 * Opens (creating if needed) `${dataDir}/voc.db` in WAL mode and brings its schema up to date.
 * Throws when the file was written by a newer version of the service.
 */
export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Another process (CLI next to a running server) may hold the write lock for a moment.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Runs every migration past `user_version`, each in its own transaction. */
export function migrate(db: SqliteDatabase): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > MIGRATIONS.length) {
    throw new Error(
      `${db.name} has schema version ${current}, newer than this service knows (${MIGRATIONS.length}); upgrade the service`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}

/** Runs a synchronous database call, turning lock contention and a closed handle into retryable errors. */
export function guard<T>(db: SqliteDatabase, work: () => T): T {
  if (!db.open) throw new StoreUnavailableError('the SQLite database is closed');
  try {
    return work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) {
      throw new StoreUnavailableError(`SQLite database is locked (${code})`, { cause: error });
    }
    throw error;
  }
}
