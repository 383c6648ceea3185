import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import cronParser from 'cron-parser';
import type { Logger } from '../../logging/logger.js';
import { checkJobHandlers, isJobName } from '../job-registry.js';
import { backoffDelay, type JobDataMap, type JobName } from '../jobs.js';
import type {
  EnqueueOptions,
  IngestJobData,
  IngestJobResult,
  JobHandlers,
  JobQueue,
  JobState,
  JobStatus,
  QueueDepth,
  RepeatableJob,
  RunningJob,
} from '../types.js';

interface JobRow {
  id: string;
  name: string;
  max_attempts: number | null;
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
    // Queues created before there was more than one job type hold ingest jobs only.
    const columns = (this.db.prepare('PRAGMA table_info(jobs)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    if (!columns.includes('name'))
      this.db.exec(`ALTER TABLE jobs ADD COLUMN name TEXT NOT NULL DEFAULT 'ingest'`);
    if (!columns.includes('max_attempts')) this.db.exec('ALTER TABLE jobs ADD COLUMN max_attempts INTEGER');
    this.db.exec(`CREATE TABLE IF NOT EXISTS schedules (
      name TEXT NOT NULL, cron TEXT NOT NULL, tz TEXT NOT NULL, data TEXT NOT NULL, next_run INTEGER NOT NULL,
      PRIMARY KEY (name, cron, tz))`);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS upload_seq (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL)',
    );
    this.db.exec(`CREATE TABLE IF NOT EXISTS latest_upload (
      conversation_id TEXT PRIMARY KEY, job_id TEXT NOT NULL) WITHOUT ROWID`);
    const recovered = this.db
      .prepare(`UPDATE jobs SET state = 'waiting' WHERE state = 'active'`)
      .run().changes;
    if (recovered > 0) options.logger.warn({ recovered }, 'resuming jobs interrupted by a previous stop');
  }

  async claimLatest(jobId: string, conversationIds: string[]): Promise<number> {
    const claim = this.db.prepare(
      `INSERT INTO latest_upload (conversation_id, job_id) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET job_id = excluded.job_id`,
    );
    return this.db.transaction(() => {
      for (const id of conversationIds) claim.run(id, jobId);
      const last = (
        this.db.prepare('SELECT last FROM upload_seq WHERE id = 1').get() as { last: number } | undefined
      )?.last;
      const seq = Math.max(Date.now() * 1000, (last ?? 0) + 1);
      this.db
        .prepare(
          'INSERT INTO upload_seq (id, last) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last = excluded.last',
        )
        .run(seq);
      return seq;
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

  async enqueue<N extends JobName>(
    name: N,
    jobId: string,
    data: JobDataMap[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    this.insert(name, jobId, data, options);
    this.wake?.();
  }

  enqueueIngest(jobId: string, data: IngestJobData): Promise<void> {
    return this.enqueue('ingest', jobId, data);
  }

  async schedule<N extends JobName>(job: RepeatableJob<N>): Promise<void> {
    const next = nextRun(job.cron, job.tz, Date.now());
    this.db
      .prepare(
        `INSERT INTO schedules (name, cron, tz, data, next_run) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name, cron, tz) DO UPDATE SET data = excluded.data`,
      )
      .run(job.name, job.cron, job.tz, JSON.stringify(job.data), next);
    this.wake?.();
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const row = this.row(id);
    return row && row.name === 'ingest' ? toStatus(row) : undefined;
  }

  async listJobs(state: JobState, limit: number): Promise<JobStatus[]> {
    const rows = this.db
      .prepare(`SELECT * FROM jobs WHERE state = ? AND name = 'ingest' ORDER BY created_at DESC LIMIT ?`)
      .all(state, limit) as JobRow[];
    return rows.map(toStatus);
  }

  async depth(scope: 'uploads' | 'steps' = 'uploads'): Promise<QueueDepth> {
    const counts: QueueDepth = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    // Uploads by default: the steps after them (profiles, webhooks, reports) are not upload backlog.
    const rows = this.db
      .prepare(
        `SELECT state, COUNT(*) AS n FROM jobs WHERE name ${scope === 'uploads' ? '=' : '<>'} 'ingest' GROUP BY state`,
      )
      .all() as {
      state: JobState;
      n: number;
    }[];
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  process(handlers: JobHandlers, concurrency: number): void {
    checkJobHandlers(handlers);
    const loop = async (): Promise<void> => {
      while (!this.stopped) {
        this.enqueueDueSchedules();
        const job = this.running < concurrency ? this.claim() : undefined;
        if (!job) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            this.timer = setTimeout(resolve, this.nextWakeMs());
          });
          clearTimeout(this.timer);
          continue;
        }
        const run = this.run(job, handlers).finally(() => this.inFlight.delete(run));
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

  private insert(name: JobName, jobId: string, data: unknown, options: EnqueueOptions): void {
    const existing = this.row(jobId);
    const runAt = Date.now() + (options.delayMs ?? 0);
    const conversations = name === 'ingest' ? (data as IngestJobData).conversations.length : 0;
    const source = name === 'ingest' ? (data as IngestJobData).source : { format: name };
    if (existing?.state === 'failed') {
      // Re-uploading a batch that failed is an explicit retry.
      this.db
        .prepare(
          `UPDATE jobs SET state='waiting', data=?, attempts_made=0, run_at=?, failed_reason=NULL WHERE id=?`,
        )
        .run(JSON.stringify(data), runAt, jobId);
    } else if (!existing) {
      this.db
        .prepare(
          `INSERT INTO jobs (id, name, max_attempts, state, data, conversations, source, run_at, created_at)
           VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?)`,
        )
        .run(
          jobId,
          name,
          options.attempts ?? null,
          JSON.stringify(data),
          conversations,
          JSON.stringify(source),
          runAt,
          new Date().toISOString(),
        );
    }
  }

  /** Turns each schedule that is due into a job (one per due time, so a restart never runs it twice). */
  private enqueueDueSchedules(): void {
    const now = Date.now();
    const due = this.db.prepare('SELECT * FROM schedules WHERE next_run <= ?').all(now) as {
      name: string;
      cron: string;
      tz: string;
      data: string;
      next_run: number;
    }[];
    for (const s of due) {
      if (!isJobName(s.name)) continue;
      this.db.transaction(() => {
        this.insert(s.name as JobName, `${s.name}-repeat-${s.next_run}`, JSON.parse(s.data), {});
        this.db
          .prepare('UPDATE schedules SET next_run = ? WHERE name = ? AND cron = ? AND tz = ?')
          .run(nextRun(s.cron, s.tz, now), s.name, s.cron, s.tz);
      })();
    }
  }

  private nextWakeMs(): number {
    const next = this.db
      .prepare(
        `SELECT MIN(t) AS t FROM (SELECT MIN(run_at) AS t FROM jobs WHERE state IN ('waiting','delayed')
         UNION ALL SELECT MIN(next_run) AS t FROM schedules)`,
      )
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

  private async run(row: JobRow, handlers: JobHandlers): Promise<void> {
    this.running++;
    try {
      if (!isJobName(row.name)) throw new Error(`Unknown job name ${row.name}`);
      const handler = handlers[row.name] as (job: RunningJob<JobName>) => Promise<unknown>;
      const result = await handler({
        id: row.id,
        name: row.name,
        data: JSON.parse(row.data ?? 'null') as JobDataMap[JobName],
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

  private finish(id: string, result: unknown): void {
    if (this.stopped && !this.db.open) return;
    this.db
      .prepare(
        `UPDATE jobs SET state='completed', progress=100, data=NULL, result=?, finished_at=? WHERE id=?`,
      )
      .run(JSON.stringify(result ?? null), new Date().toISOString(), id);
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
    if (attemptsMade < (row.max_attempts ?? this.options.attempts)) {
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

function nextRun(cron: string, tz: string, after: number): number {
  return cronParser
    .parseExpression(cron, { currentDate: new Date(after), tz })
    .next()
    .getTime();
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
