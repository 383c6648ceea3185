import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
import { QueueClosedError, QueueThread } from './queue-thread.js';
import type { ClaimedRow } from './queue-writes.js';

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

const STATUS_COLUMNS =
  'id, name, state, conversations, source, progress, attempts_made, created_at, finished_at, failed_reason, result';

/**
 * The statements of the main connection, prepared once: reads, which never wait on an fsync (WAL
 * readers take no lock a writer holds), and the recovery at start. Every other write runs in the
 * queue's thread (queue-writes.ts).
 */
function prepareReads(db: Database.Database) {
  return {
    recoverActive: db.prepare(`UPDATE jobs SET state = 'waiting' WHERE state = 'active'`),
    latestJob: db.prepare<[string], { job_id: string }>(
      'SELECT job_id FROM latest_upload WHERE conversation_id = ?',
    ),
    status: db.prepare<[string], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM jobs WHERE id = ?`),
    list: db.prepare<[JobState, number], StatusRow>(
      `SELECT ${STATUS_COLUMNS} FROM jobs WHERE state = ? AND name = 'ingest' ORDER BY created_at DESC LIMIT ?`,
    ),
    depthUploads: db.prepare<[], { state: JobState; n: number }>(
      `SELECT state, COUNT(*) AS n FROM jobs WHERE name = 'ingest' GROUP BY state`,
    ),
    // Named: for `<>` the planner would walk jobs_state_run_at and read every row for its name.
    depthSteps: db.prepare<[], { state: JobState; n: number }>(
      `SELECT state, COUNT(*) AS n FROM jobs INDEXED BY jobs_name_state WHERE name <> 'ingest' GROUP BY state`,
    ),
    ping: db.prepare('SELECT 1'),
    nextWake: db.prepare<[], { t: number | null }>(
      `SELECT MIN(t) AS t FROM (SELECT MIN(run_at) AS t FROM jobs INDEXED BY jobs_due WHERE state IN ('waiting','delayed')
       UNION ALL SELECT MIN(next_run) AS t FROM schedules)`,
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
 * Reads run on the caller's connection; every write after start runs in the queue's thread
 * (queue-thread.ts) and is awaited until committed. The schema is versioned (queue-migrations.ts);
 * every statement is prepared once.
 */
export class SqliteJobQueue implements JobQueue {
  private readonly db: Database.Database;
  private readonly sql: ReturnType<typeof prepareReads>;
  private readonly writes: QueueThread;
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** A write that may have made a job due came while the loop was not waiting: look again at once. */
  private woken = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Settles when the claim loop of process() has stopped (it never rejects). */
  private loopDone: Promise<void> = Promise.resolve();

  constructor(private readonly options: EmbeddedQueueOptions) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, 'queue.db');
    this.db = new Database(file);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      migrateQueue(this.db);
      this.sql = prepareReads(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    // At start, before the thread exists: the one write of this connection.
    const recovered = this.sql.recoverActive.run().changes;
    if (recovered > 0) options.logger.warn({ recovered }, 'resuming jobs interrupted by a previous stop');
    this.writes = new QueueThread(file);
  }

  claimLatest(jobId: string, conversationIds: string[]): Promise<number> {
    return this.writes.write({ kind: 'claimLatest', jobId, conversationIds });
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
    const ingest = name === 'ingest' ? (data as IngestJobData) : undefined;
    await this.writes.write({
      kind: 'insert',
      name,
      jobId,
      maxAttempts: options.attempts ?? null,
      data: JSON.stringify(data),
      conversations: ingest?.conversations.length ?? 0,
      source: JSON.stringify(ingest?.source ?? { format: name }),
      runAt: Date.now() + (options.delayMs ?? 0),
      createdAt: new Date().toISOString(),
    });
    this.wakeUp();
  }

  enqueueIngest(jobId: string, data: IngestJobData): Promise<void> {
    return this.enqueue('ingest', jobId, data);
  }

  async schedule<N extends JobName>(job: RepeatableJob<N>): Promise<void> {
    const { name, cron, tz } = job;
    await this.writes.write({ kind: 'schedule', name, cron, tz, data: JSON.stringify(job.data) });
    this.wakeUp();
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
        this.woken = false;
        const atCapacity = this.running >= concurrency;
        const job = await this.next(!atCapacity);
        if (job && this.stopped) {
          // Claimed while close() began: back to waiting, so a clean stop leaves nothing active (if
          // that fails, the job stays active on disk and the next start resumes it).
          await this.writes.write({ kind: 'release', id: job.id }).catch(() => undefined);
          break;
        }
        if (!job) {
          if (!this.woken && !this.stopped) await this.sleep(atCapacity);
          continue;
        }
        const run = this.run(job, handlers).finally(() => this.inFlight.delete(run));
        this.inFlight.add(run);
      }
    };
    this.loopDone = loop();
  }

  async ping(): Promise<void> {
    this.sql.ping.get();
  }

  async close(options: { drain?: boolean } = {}): Promise<void> {
    this.stopped = true;
    this.wakeUp();
    await this.loopDone;
    if (options.drain !== false) await Promise.allSettled([...this.inFlight]);
    await this.writes.close();
    this.db.close();
  }

  /** Due schedules become jobs; then, with `claim`, the next due job moves to active (in the thread). */
  private async next(claim: boolean): Promise<ClaimedRow | undefined> {
    try {
      return await this.writes.write({ kind: 'next', now: Date.now(), claim });
    } catch (err) {
      if (!(err instanceof QueueClosedError)) {
        this.options.logger.warn({ err }, 'could not claim the next job; will look again');
      }
      return undefined;
    }
  }

  /** Until a write or a finished job wakes the loop, or the next job or schedule is due. */
  private sleep(atCapacity: boolean): Promise<void> {
    // At capacity only a finished job frees a slot (it wakes the loop); schedules wait at most pollMs.
    const ms = atCapacity ? (this.options.pollMs ?? 1000) : this.nextWakeMs();
    return new Promise<void>((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    }).finally(() => {
      clearTimeout(this.timer);
      this.wake = undefined;
    });
  }

  private wakeUp(): void {
    this.woken = true;
    this.wake?.();
  }

  private nextWakeMs(): number {
    const next = this.sql.nextWake.get() ?? { t: null };
    if (next.t === null) return this.options.pollMs ?? 1000;
    return Math.max(10, Math.min(next.t - Date.now(), this.options.pollMs ?? 1000));
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
          await this.writes.write({ kind: 'progress', id: row.id, percent: Math.round(percent) });
        },
      });
      await this.finish(row.id, result);
    } catch (err) {
      await this.fail(row, err);
    } finally {
      this.running--;
      this.wakeUp();
    }
  }

  private async finish(id: string, result: unknown): Promise<void> {
    await this.writes.write({
      kind: 'complete',
      id,
      result: JSON.stringify(result ?? null),
      finishedAt: new Date().toISOString(),
      keepCompleted: this.options.keepCompleted ?? 10_000,
    });
  }

  private async fail(row: ClaimedRow, err: unknown): Promise<void> {
    // Closed without draining: the job stays active on disk and is resumed at the next start.
    if (err instanceof QueueClosedError) return;
    const attemptsMade = row.attempts_made + 1;
    const reason = err instanceof Error ? err.message : String(err);
    try {
      if (attemptsMade < (row.max_attempts ?? this.options.attempts)) {
        const delay = backoffDelay(this.options.backoffMs, attemptsMade);
        this.options.logger.warn(
          { jobId: row.id, attemptsMade, delayMs: delay, err },
          'job failed; will retry',
        );
        await this.writes.write({
          kind: 'retryLater',
          id: row.id,
          attemptsMade,
          runAt: Date.now() + delay,
          reason,
        });
      } else {
        this.options.logger.error({ jobId: row.id, attemptsMade, err }, 'job failed after its last attempt');
        const finishedAt = new Date().toISOString();
        await this.writes.write({ kind: 'failForGood', id: row.id, attemptsMade, reason, finishedAt });
      }
    } catch (error) {
      // The job stays active on disk: the next start resumes it.
      if (!(error instanceof QueueClosedError)) {
        this.options.logger.error({ jobId: row.id, err: error }, 'could not record a failed attempt');
      }
    }
  }
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
