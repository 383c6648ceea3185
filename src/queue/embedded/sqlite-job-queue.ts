import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../../logging/logger.js';
import { backoffDelay } from '../jobs.js';
import type {
  IngestHandler,
  IngestJobData,
  IngestJobResult,
  JobQueue,
  JobState,
  JobStatus,
  QueueDepth,
} from '../types.js';

interface JobRow {
  id: string;
  state: JobState;
  data: string | null;
  conversations: number;
  source: string;
  progress: number;
  attempts_made: number;
  run_at: number;
  created_at: string;
  finished_at: string | null;
  failed_reason: string | null;
  result: string | null;
}

export interface EmbeddedQueueOptions {
  dataDir: string;
  attempts: number;
  backoffMs: number;
  logger: Logger;
  /** How many finished jobs to keep for GET /v1/jobs/:id; failed jobs are always kept. */
  keepCompleted?: number;
  pollMs?: number;
}

/**
 * The embedded queue: jobs live in SQLite (DATA_DIR/queue.db, WAL, synchronous=FULL), so an
 * accepted upload survives a crash; jobs left "active" by a crash are picked up again at start.
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: Database.Database;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: EmbeddedQueueOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'queue.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT, conversations INTEGER NOT NULL,
      source TEXT NOT NULL, progress INTEGER NOT NULL DEFAULT 0, attempts_made INTEGER NOT NULL DEFAULT 0,
      run_at INTEGER NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, failed_reason TEXT, result TEXT)`);
    this.db.exec('CREATE INDEX IF NOT EXISTS jobs_state_run_at ON jobs(state, run_at)');
    this.db.exec(`CREATE TABLE IF NOT EXISTS latest_upload (
      conversation_id TEXT PRIMARY KEY, job_id TEXT NOT NULL) WITHOUT ROWID`);
    const recovered = this.db
      .prepare(`UPDATE jobs SET state = 'waiting' WHERE state = 'active'`)
      .run().changes;
    if (recovered > 0) options.logger.warn({ recovered }, 'resuming jobs interrupted by a previous stop');
  }

  async claimLatest(jobId: string, conversationIds: string[]): Promise<void> {
    const claim = this.db.prepare(
      `INSERT INTO latest_upload (conversation_id, job_id) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET job_id = excluded.job_id`,
    );
    this.db.transaction(() => {
      for (const id of conversationIds) claim.run(id, jobId);
    })();
  }

  async superseded(jobId: string, conversationIds: string[]): Promise<Set<string>> {
    const latest = this.db.prepare<[string], { job_id: string }>(
      'SELECT job_id FROM latest_upload WHERE conversation_id = ?',
    );
    return new Set(
      conversationIds.filter((id) => {
        const row = latest.get(id);
        return row !== undefined && row.job_id !== jobId;
      }),
    );
  }

  async enqueueIngest(jobId: string, data: IngestJobData): Promise<void> {
    const existing = this.row(jobId);
    if (existing?.state === 'failed') {
      // Re-uploading a batch that failed is an explicit retry.
      this.db
        .prepare(
          `UPDATE jobs SET state='waiting', data=?, attempts_made=0, run_at=?, failed_reason=NULL WHERE id=?`,
        )
        .run(JSON.stringify(data), Date.now(), jobId);
    } else if (!existing) {
      this.db
        .prepare(
          `INSERT INTO jobs (id, state, data, conversations, source, run_at, created_at)
           VALUES (?, 'waiting', ?, ?, ?, ?, ?)`,
        )
        .run(
          jobId,
          JSON.stringify(data),
          data.conversations.length,
          JSON.stringify(data.source),
          Date.now(),
          new Date().toISOString(),
        );
    }
    this.wake?.();
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const row = this.row(id);
    return row && toStatus(row);
  }

  async listJobs(state: JobState, limit: number): Promise<JobStatus[]> {
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE state = ? ORDER BY created_at DESC LIMIT ?`)
      .all(state, limit) as JobRow[];
    return rows.map(toStatus);
  }

  async depth(): Promise<QueueDepth> {
    const counts: QueueDepth = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state').all() as {
      state: JobState;
      n: number;
    }[];
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  process(handler: IngestHandler, concurrency: number): void {
    const loop = async (): Promise<void> => {
      while (!this.stopped) {
        const job = this.running < concurrency ? this.claim() : undefined;
        if (!job) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            this.timer = setTimeout(resolve, this.nextWakeMs());
          });
          clearTimeout(this.timer);
          continue;
        }
        const run = this.run(job, handler).finally(() => this.inFlight.delete(run));
        this.inFlight.add(run);
      }
    };
    void loop();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(options: { drain?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (options.drain !== false) await Promise.allSettled([...this.inFlight]);
    this.db.close();
  }

  private nextWakeMs(): number {
    const next = this.db
      .prepare(`SELECT MIN(run_at) AS t FROM jobs WHERE state IN ('waiting','delayed')`)
      .get() as { t: number | null };
    if (next.t === null) return this.options.pollMs ?? 1000;
    return Math.max(10, Math.min(next.t - Date.now(), this.options.pollMs ?? 1000));
  }

  /** Atomically moves the next due job to active. */
  private claim(): JobRow | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare(
          `SELECT * FROM jobs WHERE state IN ('waiting','delayed') AND run_at <= ? ORDER BY run_at, created_at LIMIT 1`,
        )
        .get(Date.now()) as JobRow | undefined;
      if (!row) return undefined;
      this.db.prepare(`UPDATE jobs SET state='active' WHERE id=?`).run(row.id);
      return row;
    })();
  }

  private async run(row: JobRow, handler: IngestHandler): Promise<void> {
    this.running++;
    try {
      const data = JSON.parse(row.data ?? 'null') as IngestJobData;
      const result = await handler({
        id: row.id,
        data,
        acceptedAt: Date.parse(row.created_at),
        reportProgress: async (percent) => {
          this.db.prepare('UPDATE jobs SET progress=? WHERE id=?').run(Math.round(percent), row.id);
        },
      });
      this.finish(row.id, result);
    } catch (err) {
      this.fail(row, err);
    } finally {
      this.running--;
      this.wake?.();
    }
  }

  private finish(id: string, result: IngestJobResult): void {
    if (this.stopped && !this.db.open) return;
    this.db
      .prepare(
        `UPDATE jobs SET state='completed', progress=100, data=NULL, result=?, finished_at=? WHERE id=?`,
      )
      .run(JSON.stringify(result), new Date().toISOString(), id);
    const keep = this.options.keepCompleted ?? 10_000;
    this.db
      .prepare(
        `DELETE FROM jobs WHERE state='completed' AND id NOT IN
         (SELECT id FROM jobs WHERE state='completed' ORDER BY finished_at DESC LIMIT ?)`,
      )
      .run(keep);
  }

  private fail(row: JobRow, err: unknown): void {
    if (!this.db.open) return;
    const attemptsMade = row.attempts_made + 1;
    const reason = err instanceof Error ? err.message : String(err);
    if (attemptsMade < this.options.attempts) {
      const delay = backoffDelay(this.options.backoffMs, attemptsMade);
      this.options.logger.warn(
        { jobId: row.id, attemptsMade, delayMs: delay, err },
        'job failed; will retry',
      );
      this.db
        .prepare(`UPDATE jobs SET state='delayed', attempts_made=?, run_at=?, failed_reason=? WHERE id=?`)
        .run(attemptsMade, Date.now() + delay, reason, row.id);
    } else {
      this.options.logger.error({ jobId: row.id, attemptsMade, err }, 'job failed after its last attempt');
      this.db
        .prepare(`UPDATE jobs SET state='failed', attempts_made=?, failed_reason=?, finished_at=? WHERE id=?`)
        .run(attemptsMade, reason, new Date().toISOString(), row.id);
    }
  }

  private row(id: string): JobRow | undefined {
    return this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  }
}

function toStatus(row: JobRow): JobStatus {
  return {
    id: row.id,
    state: row.state,
    progress: row.progress,
    attemptsMade: row.attempts_made,
    conversations: row.conversations,
    source: JSON.parse(row.source) as IngestJobData['source'],
    createdAt: row.created_at,
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    ...(row.failed_reason ? { failedReason: row.failed_reason } : {}),
    ...(row.result ? { result: JSON.parse(row.result) as IngestJobResult } : {}),
  };
}
