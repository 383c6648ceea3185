import type Database from 'better-sqlite3';

/**
 * Schema of the embedded queue (DATA_DIR/queue.db), one step per version. `PRAGMA user_version`
 * records how many have run; append new steps, never edit old ones (queues in the field ran them).
 * Steps are functions, not SQL, because step 1 also brings queues from before there was a version
 * (user_version 0, tables possibly already there, columns possibly missing) up to it.
 */
export const QUEUE_MIGRATIONS: readonly ((db: Database.Database) => void)[] = [
  // 1: jobs, schedules, upload sequence, latest upload per conversation (the unversioned schema).
  (db) => {
    db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT, conversations INTEGER NOT NULL,
      source TEXT NOT NULL, progress INTEGER NOT NULL DEFAULT 0, attempts_made INTEGER NOT NULL DEFAULT 0,
      run_at INTEGER NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, failed_reason TEXT, result TEXT)`);
    db.exec('CREATE INDEX IF NOT EXISTS jobs_state_run_at ON jobs(state, run_at)');
    // Queues created before there was more than one job type hold ingest jobs only.
    const columns = (db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('name')) db.exec(`ALTER TABLE jobs ADD COLUMN name TEXT NOT NULL DEFAULT 'ingest'`);
    if (!columns.includes('max_attempts')) db.exec('ALTER TABLE jobs ADD COLUMN max_attempts INTEGER');
    db.exec(`CREATE TABLE IF NOT EXISTS schedules (
      name TEXT NOT NULL, cron TEXT NOT NULL, tz TEXT NOT NULL, data TEXT NOT NULL, next_run INTEGER NOT NULL,
      PRIMARY KEY (name, cron, tz))`);
    db.exec(
      'CREATE TABLE IF NOT EXISTS upload_seq (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL)',
    );
    db.exec(`CREATE TABLE IF NOT EXISTS latest_upload (
      conversation_id TEXT PRIMARY KEY, job_id TEXT NOT NULL) WITHOUT ROWID`);
  },
  // 2: the claim reads the due jobs in (run_at, created_at) order from an index that holds only
  // waiting and delayed jobs, so it stops at the first one instead of sorting every due job (payload
  // included) in a temporary B-tree; pruning finished jobs walks an index of completed jobs only.
  (db) => {
    db.exec(`CREATE INDEX jobs_due ON jobs (run_at, created_at) WHERE state IN ('waiting','delayed')`);
    db.exec(`CREATE INDEX jobs_completed ON jobs (finished_at) WHERE state = 'completed'`);
  },
  // 3: depth() counts jobs by name and state from this index alone, and listJobs reads only the rows
  // it returns, newest first. Without it both read every row of a state, and a row's `name` and
  // `created_at` lie past its payload's overflow pages: a queue of 503 batches from one 50 MB upload
  // made each count read about 50 MB on the API's thread (bench:upload --stalls: stalls of 100–540 ms
  // while it asked for the depth once a second, as /metrics and GET /v1/jobs do).
  (db) => {
    db.exec('CREATE INDEX jobs_name_state ON jobs (name, state, created_at)');
  },
];

/** Runs every queue migration past `user_version`, each in its own transaction. */
export function migrateQueue(db: Database.Database): void {
  const current = Number(db.pragma('user_version', { simple: true }));
  if (current > QUEUE_MIGRATIONS.length) {
    throw new Error(
      `${db.name} has queue schema version ${current}, newer than this service knows (${QUEUE_MIGRATIONS.length}); upgrade the service or use another DATA_DIR`,
    );
  }
  for (let version = current; version < QUEUE_MIGRATIONS.length; version++) {
    db.transaction(() => {
      QUEUE_MIGRATIONS[version]?.(db);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
