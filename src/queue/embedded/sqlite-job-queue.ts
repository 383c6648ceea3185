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
import { migrateQueue } from './queue-migrations.js';

/** What GET /v1/jobs needs of a job: every column but the payload. */
interface StatusRow {
  id: string;
  name: string;
  state: JobState;
  conversations: number;
  source: string;
  progress: number;
  attempts_made: number;
  created_at: string;
  finished_at: string | null;
  failed_reason: string | null;
  result: string | null;
}

/** What running a claimed job needs. */
interface ClaimedRow {
  id: string;
  name: string;
  max_attempts: number | null;
  attempts_made: number;
  created_at: string;
  data: string | null;
}

const STATUS_COLUMNS =
  'id, name, state, conversations, source, progress, attempts_made, created_at, finished_at, failed_reason, result';

/** Every statement the queue runs, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  return {
    recoverActive: db.prepare(`UPDATE jobs SET state = 'waiting' WHERE state = 'active'`),
    claimLatest: db.prepare<[string, string]>(
      `INSERT INTO latest_upload (conversation_id, job_id) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET job_id = excluded.job_id`,
    ),
    lastSeq: db.prepare<[], { last: number }>('SELECT last FROM upload_seq WHERE id = 1'),
    setSeq: db.prepare<[number]>(
      'INSERT INTO upload_seq (id, last) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last = excluded.last',
    ),
    latestJob: db.prepare<[string], { job_id: string }>(
      'SELECT job_id FROM latest_upload WHERE conversation_id = ?',
    ),
    schedule: db.prepare<[string, string, string, string, number]>(
      `INSERT INTO schedules (name, cron, tz, data, next_run) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name, cron, tz) DO UPDATE SET data = excluded.data`,
    ),
    status: db.prepare<[string], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM jobs WHERE id = ?`),
    list: db.prepare<[JobState, number], StatusRow>(
      `SELECT ${STATUS_COLUMNS} FROM jobs WHERE state = ? AND name = 'ingest' ORDER BY created_at DESC LIMIT ?`,
    ),
    depthUploads: db.prepare<[], { state: JobState; n: number }>(
      `SELECT state, COUNT(*) AS n FROM jobs WHERE name = 'ingest' GROUP BY state`,
    ),
    depthSteps: db.prepare<[], { state: JobState; n: number }>(
      `SELECT state, COUNT(*) AS n FROM jobs WHERE name <> 'ingest' GROUP BY state`,
    ),
    ping: db.prepare('SELECT 1'),
    state: db.prepare<[string], { state: JobState }>('SELECT state FROM jobs WHERE id = ?'),
    retryFailed: db.prepare<[string, number, string]>(
      `UPDATE jobs SET state='waiting', data=?, attempts_made=0, run_at=?, failed_reason=NULL WHERE id=?`,
    ),
    insert: db.prepare<[string, string, number | null, string, number, string, number, string]>(
      `INSERT INTO jobs (id, name, max_attempts, state, data, conversations, source, run_at, created_at)
       VALUES (?, ?, ?, 'waiting', ?, ?, ?, ?, ?)`,
    ),
    dueSchedules: db.prepare<
      [number],
      { name: string; cron: string; tz: string; data: string; next_run: number }
    >('SELECT * FROM schedules WHERE next_run <= ?'),
    advanceSchedule: db.prepare<[number, string, string, string]>(
      'UPDATE schedules SET next_run = ? WHERE name = ? AND cron = ? AND tz = ?',
    ),
    nextWake: db.prepare<[], { t: number | null }>(
      `SELECT MIN(t) AS t FROM (SELECT MIN(run_at) AS t FROM jobs INDEXED BY jobs_due WHERE state IN ('waiting','delayed')
       UNION ALL SELECT MIN(next_run) AS t FROM schedules)`,
    ),
    // One statement, so atomic without a transaction. The subquery matches the partial index
    // jobs_due (migration 2, named: with no statistics the planner picks jobs_state_run_at and sorts every
    // due job): it reads the first due job's index entry and nothing else.
    claim: db.prepare<[number], ClaimedRow>(
      `UPDATE jobs SET state = 'active' WHERE rowid = (
         SELECT rowid FROM jobs INDEXED BY jobs_due WHERE state IN ('waiting','delayed') AND run_at <= ?
         ORDER BY run_at, created_at LIMIT 1)
       RETURNING id, name, max_attempts, attempts_made, created_at, data`,
    ),
    progress: db.prepare<[number, string]>('UPDATE jobs SET progress=? WHERE id=?'),
    complete: db.prepare<[string, string, string]>(
      `UPDATE jobs SET state='completed', progress=100, data=NULL, result=?, finished_at=? WHERE id=?`,
    ),
    // Walks the partial index jobs_completed past the newest `keep` entries; nothing else is read.
    pruneCompleted: db.prepare<[number]>(
      `DELETE FROM jobs WHERE rowid IN (
         SELECT rowid FROM jobs INDEXED BY jobs_completed WHERE state='completed' ORDER BY finished_at DESC LIMIT -1 OFFSET ?)`,
    ),
    retryLater: db.prepare<[number, number, string, string]>(
      `UPDATE jobs SET state='delayed', attempts_made=?, run_at=?, failed_reason=? WHERE id=?`,
    ),
    failForGood: db.prepare<[number, string, string, string]>(
      `UPDATE jobs SET state='failed', attempts_made=?, failed_reason=?, finished_at=? WHERE id=?`,
    ),
  };
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
 * The schema is versioned (queue-migrations.ts); every statement is prepared once.
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: Database.Database;
  private readonly sql: ReturnType<typeof prepareStatements>;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: EmbeddedQueueOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.db = new Database(path.join(options.dataDir, 'queue.db'));
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      migrateQueue(this.db);
      this.sql = prepareStatements(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const recovered = this.sql.recoverActive.run().changes;
    if (recovered > 0) options.logger.warn({ recovered }, 'resuming jobs interrupted by a previous stop');
  }

  async claimLatest(jobId: string, conversationIds: string[]): Promise<number> {
    return this.db.transaction(() => {
      for (const id of conversationIds) this.sql.claimLatest.run(id, jobId);
      const last = this.sql.lastSeq.get()?.last;
      const seq = Math.max(Date.now() * 1000, (last ?? 0) + 1);
      this.sql.setSeq.run(seq);
      return seq;
    })();
  }

  async superseded(jobId: string, conversationIds: string[]): Promise<Set<string>> {
    return new Set(
      conversationIds.filter((id) => {
        const row = this.sql.latestJob.get(id);
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
    this.sql.schedule.run(job.name, job.cron, job.tz, JSON.stringify(job.data), next);
    this.wake?.();
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const row = this.sql.status.get(id);
    return row && row.name === 'ingest' ? toStatus(row) : undefined;
  }

  async listJobs(state: JobState, limit: number): Promise<JobStatus[]> {
    return this.sql.list.all(state, limit).map(toStatus);
  }

  async depth(scope: 'uploads' | 'steps' = 'uploads'): Promise<QueueDepth> {
    const counts: QueueDepth = { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 };
    // Uploads by default: the steps after them (profiles, webhooks, reports) are not upload backlog.
    const rows = (scope === 'uploads' ? this.sql.depthUploads : this.sql.depthSteps).all();
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
    this.sql.ping.get();
  }

  async close(options: { drain?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (options.drain !== false) await Promise.allSettled([...this.inFlight]);
    this.db.close();
  }

  private insert(name: JobName, jobId: string, data: unknown, options: EnqueueOptions): void {
    const existing = this.sql.state.get(jobId);
    const runAt = Date.now() + (options.delayMs ?? 0);
    const conversations = name === 'ingest' ? (data as IngestJobData).conversations.length : 0;
    const source = name === 'ingest' ? (data as IngestJobData).source : { format: name };
    if (existing?.state === 'failed') {
      // Re-uploading a batch that failed is an explicit retry.
      this.sql.retryFailed.run(JSON.stringify(data), runAt, jobId);
    } else if (!existing) {
      this.sql.insert.run(
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
    for (const s of this.sql.dueSchedules.all(now)) {
      if (!isJobName(s.name)) continue;
      this.db.transaction(() => {
        this.insert(s.name as JobName, `${s.name}-repeat-${s.next_run}`, JSON.parse(s.data), {});
        this.sql.advanceSchedule.run(nextRun(s.cron, s.tz, now), s.name, s.cron, s.tz);
      })();
    }
  }

  private nextWakeMs(): number {
    const next = this.sql.nextWake.get() ?? { t: null };
    if (next.t === null) return this.options.pollMs ?? 1000;
    return Math.max(10, Math.min(next.t - Date.now(), this.options.pollMs ?? 1000));
  }

  /** Atomically moves the next due job to active (its payload is parsed when it runs, not here). */
  private claim(): ClaimedRow | undefined {
    return this.sql.claim.get(Date.now());
  }

  private async run(row: ClaimedRow, handlers: JobHandlers): Promise<void> {
    this.running++;
    try {
      if (!isJobName(row.name)) throw new Error(`Unknown job name ${row.name}`);
      const handler = handlers[row.name] as (job: RunningJob<JobName>) => Promise<unknown>;
      const result = await handler({
        id: row.id,
        name: row.name,
        data: JSON.parse(row.data ?? 'null') as JobDataMap[JobName],
        acceptedAt: Date.parse(row.created_at),
        lastAttempt: row.attempts_made + 1 >= (row.max_attempts ?? this.options.attempts),
        reportProgress: async (percent) => {
          this.sql.progress.run(Math.round(percent), row.id);
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
    this.sql.complete.run(JSON.stringify(result ?? null), new Date().toISOString(), id);
    this.sql.pruneCompleted.run(this.options.keepCompleted ?? 10_000);
  }

  private fail(row: ClaimedRow, err: unknown): void {
    if (!this.db.open) return;
    const attemptsMade = row.attempts_made + 1;
    const reason = err instanceof Error ? err.message : String(err);
    if (attemptsMade < (row.max_attempts ?? this.options.attempts)) {
      const delay = backoffDelay(this.options.backoffMs, attemptsMade);
      this.options.logger.warn(
        { jobId: row.id, attemptsMade, delayMs: delay, err },
        'job failed; will retry',
      );
      this.sql.retryLater.run(attemptsMade, Date.now() + delay, reason, row.id);
    } else {
      this.options.logger.error({ jobId: row.id, attemptsMade, err }, 'job failed after its last attempt');
      this.sql.failForGood.run(attemptsMade, reason, new Date().toISOString(), row.id);
    }
  }
}

function nextRun(cron: string, tz: string, after: number): number {
  return cronParser
    .parseExpression(cron, { currentDate: new Date(after), tz })
    .next()
    .getTime();
}

function toStatus(row: StatusRow): JobStatus {
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
