import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { PlannedPage, ReanalysisRun, ReanalysisRunStore } from '../reanalysis-run-store.js';

interface RunRow {
  id: string;
  force: number;
  state: ReanalysisRun['state'];
  started_at: string;
  finished_at: string | null;
  error: string | null;
  total: number;
  pages: number;
  planning_done: number;
  scanned: number;
  rewritten: number;
  pages_done: number;
}

/** Re-analysis runs of the embedded mode: `DATA_DIR/reanalysis.db`, one transaction per change. */
export class SqliteReanalysisRunStore implements ReanalysisRunStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.db = new Database(path.join(dataDir, 'reanalysis.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS runs (
        id TEXT PRIMARY KEY, force INTEGER NOT NULL, state TEXT NOT NULL, started_at TEXT NOT NULL,
        finished_at TEXT, error TEXT, total INTEGER NOT NULL, pages INTEGER NOT NULL DEFAULT 0,
        planning_done INTEGER NOT NULL DEFAULT 0, scanned INTEGER NOT NULL DEFAULT 0,
        rewritten INTEGER NOT NULL DEFAULT 0, pages_done INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS plan (
        run_id TEXT NOT NULL, page INTEGER NOT NULL, count INTEGER NOT NULL, next TEXT,
        PRIMARY KEY (run_id, page)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS done (
        run_id TEXT NOT NULL, page INTEGER NOT NULL, PRIMARY KEY (run_id, page)) WITHOUT ROWID;`);
  }

  async begin(run: { id: string; force: boolean; startedAt: string; total: number }): Promise<boolean> {
    return this.db
      .transaction(() => {
        if (this.currentRow()?.state === 'running') return false;
        this.db
          .prepare(
            `INSERT INTO runs (id, force, state, started_at, total, seq)
           VALUES (?, ?, 'running', ?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM runs))`,
          )
          .run(run.id, run.force ? 1 : 0, run.startedAt, run.total);
        return true;
      })
      .immediate();
  }

  async current(): Promise<ReanalysisRun | undefined> {
    const row = this.currentRow();
    return row && toRun(row);
  }

  async get(id: string): Promise<ReanalysisRun | undefined> {
    const row = this.db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
    return row && toRun(row);
  }

  async planPage(id: string, page: number, entry: PlannedPage): Promise<PlannedPage> {
    return this.db
      .transaction(() => {
        const inserted = this.db
          .prepare('INSERT OR IGNORE INTO plan (run_id, page, count, next) VALUES (?, ?, ?, ?)')
          .run(id, page, entry.count, entry.next ?? null).changes;
        if (inserted) this.db.prepare('UPDATE runs SET pages = pages + 1 WHERE id = ?').run(id);
        const row = this.db
          .prepare<[string, number], { count: number; next: string | null }>(
            'SELECT count, next FROM plan WHERE run_id = ? AND page = ?',
          )
          .get(id, page)!;
        return { count: row.count, ...(row.next !== null ? { next: row.next } : {}) };
      })
      .immediate();
  }

  async planned(id: string, pages: number): Promise<void> {
    this.db
      .prepare(
        `UPDATE runs SET planning_done = 1, pages = ?,
         total = (SELECT COALESCE(SUM(count), 0) FROM plan WHERE run_id = ?) WHERE id = ? AND planning_done = 0`,
      )
      .run(pages, id, id);
  }

  async pageDone(id: string, page: number, counts: { scanned: number; rewritten: number }): Promise<boolean> {
    return this.db
      .transaction(() => {
        const inserted = this.db
          .prepare('INSERT OR IGNORE INTO done (run_id, page) VALUES (?, ?)')
          .run(id, page).changes;
        if (!inserted) return false;
        this.db
          .prepare(
            'UPDATE runs SET scanned = scanned + ?, rewritten = rewritten + ?, pages_done = pages_done + 1 WHERE id = ?',
          )
          .run(counts.scanned, counts.rewritten, id);
        return true;
      })
      .immediate();
  }

  async completeIfDone(id: string, finishedAt: string): Promise<boolean> {
    return (
      this.db
        .prepare(
          `UPDATE runs SET state = 'completed', finished_at = ?
           WHERE id = ? AND state = 'running' AND planning_done = 1 AND pages_done >= pages`,
        )
        .run(finishedAt, id).changes > 0
    );
  }

  async fail(id: string, error: string, finishedAt: string): Promise<void> {
    this.db
      .prepare(
        `UPDATE runs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state = 'running'`,
      )
      .run(error, finishedAt, id);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private currentRow(): RunRow | undefined {
    return this.db.prepare<[], RunRow>('SELECT * FROM runs ORDER BY seq DESC LIMIT 1').get();
  }
}

function toRun(row: RunRow): ReanalysisRun {
  return {
    id: row.id,
    force: row.force === 1,
    state: row.state,
    startedAt: row.started_at,
    ...(row.finished_at !== null ? { finishedAt: row.finished_at } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    total: row.total,
    pages: row.pages,
    planningDone: row.planning_done === 1,
    scanned: row.scanned,
    rewritten: row.rewritten,
    pagesDone: row.pages_done,
  };
}
