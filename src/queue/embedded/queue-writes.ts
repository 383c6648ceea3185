/**
 * Every write of the embedded queue, on the connection of the queue's thread (queue-worker.ts): a
 * commit there is an fsync (synchronous=FULL), which must not block the API's event loop. Pure
 * better-sqlite3, one call at a time; the main thread only reads (sqlite-job-queue.ts).
 */
import type Database from 'better-sqlite3';
import cronParser from 'cron-parser';
import { isJobName } from '../job-registry.js';

/** What running a claimed job needs. */
export interface ClaimedRow {
  id: string;
  name: string;
  max_attempts: number | null;
  attempts_made: number;
  created_at: string;
  data: string | null;
}

/** One write, as it crosses to the thread; the payloads are JSON already (serialised by the caller). */
export type QueueWrite =
  | { kind: 'claimLatest'; jobId: string; conversationIds: string[] }
  | {
      kind: 'insert';
      name: string;
      jobId: string;
      maxAttempts: number | null;
      data: string;
      conversations: number;
      source: string;
      runAt: number;
      createdAt: string;
    }
  | { kind: 'schedule'; name: string; cron: string; tz: string; data: string }
  /** Turns due schedules into jobs, then (with `claim`) claims the next due job. */
  | { kind: 'next'; now: number; claim: boolean }
  /** A job claimed while the queue was closing goes back to waiting. */
  | { kind: 'release'; id: string }
  | { kind: 'progress'; id: string; percent: number }
  | { kind: 'complete'; id: string; result: string; finishedAt: string; keepCompleted: number }
  | { kind: 'retryLater'; id: string; attemptsMade: number; runAt: number; reason: string }
  | { kind: 'failForGood'; id: string; attemptsMade: number; reason: string; finishedAt: string };

/** What each write answers: the upload's sequence for claimLatest, the claimed job for next. */
export interface QueueWriteResults {
  claimLatest: number;
  insert: undefined;
  schedule: undefined;
  next: ClaimedRow | undefined;
  release: undefined;
  progress: undefined;
  complete: undefined;
  retryLater: undefined;
  failForGood: undefined;
}

function prepareWrites(db: Database.Database) {
  return {
    claimLatest: db.prepare<[string, string]>(
      `INSERT INTO latest_upload (conversation_id, job_id) VALUES (?, ?)
       ON CONFLICT (conversation_id) DO UPDATE SET job_id = excluded.job_id`,
    ),
    lastSeq: db.prepare<[], { last: number }>('SELECT last FROM upload_seq WHERE id = 1'),
    setSeq: db.prepare<[number]>(
      'INSERT INTO upload_seq (id, last) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last = excluded.last',
    ),
    schedule: db.prepare<[string, string, string, string, number]>(
      `INSERT INTO schedules (name, cron, tz, data, next_run) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name, cron, tz) DO UPDATE SET data = excluded.data`,
    ),
    state: db.prepare<[string], { state: string }>('SELECT state FROM jobs WHERE id = ?'),
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
    // One statement, so atomic without a transaction. The subquery matches the partial index
    // jobs_due (migration 2, named: with no statistics the planner picks jobs_state_run_at and sorts every
    // due job): it reads the first due job's index entry and nothing else.
    claim: db.prepare<[number], ClaimedRow>(
      `UPDATE jobs SET state = 'active' WHERE rowid = (
         SELECT rowid FROM jobs INDEXED BY jobs_due WHERE state IN ('waiting','delayed') AND run_at <= ?
         ORDER BY run_at, created_at LIMIT 1)
       RETURNING id, name, max_attempts, attempts_made, created_at, data`,
    ),
    release: db.prepare<[string]>(`UPDATE jobs SET state='waiting' WHERE id=? AND state='active'`),
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

/** The queue's writes on one connection; `apply` runs one, committed (and fsynced) when it returns. */
export class QueueWrites {
  private readonly sql: ReturnType<typeof prepareWrites>;

  constructor(private readonly db: Database.Database) {
    this.sql = prepareWrites(db);
  }

  apply(write: QueueWrite): QueueWriteResults[QueueWrite['kind']] {
    switch (write.kind) {
      case 'claimLatest':
        return this.claimLatest(write.jobId, write.conversationIds);
      case 'insert':
        return this.insert(write);
      case 'schedule': {
        const next = nextRun(write.cron, write.tz, Date.now());
        this.sql.schedule.run(write.name, write.cron, write.tz, write.data, next);
        return undefined;
      }
      case 'next':
        this.enqueueDueSchedules(write.now);
        return write.claim ? this.sql.claim.get(write.now) : undefined;
      case 'release':
        this.sql.release.run(write.id);
        return undefined;
      case 'progress':
        this.sql.progress.run(write.percent, write.id);
        return undefined;
      case 'complete':
        this.sql.complete.run(write.result, write.finishedAt, write.id);
        this.sql.pruneCompleted.run(write.keepCompleted);
        return undefined;
      case 'retryLater':
        this.sql.retryLater.run(write.attemptsMade, write.runAt, write.reason, write.id);
        return undefined;
      case 'failForGood':
        this.sql.failForGood.run(write.attemptsMade, write.reason, write.finishedAt, write.id);
        return undefined;
    }
  }

  private claimLatest(jobId: string, conversationIds: string[]): number {
    return this.db.transaction(() => {
      for (const id of conversationIds) this.sql.claimLatest.run(id, jobId);
      const last = this.sql.lastSeq.get()?.last;
      const seq = Math.max(Date.now() * 1000, (last ?? 0) + 1);
      this.sql.setSeq.run(seq);
      return seq;
    })();
  }

  private insert(job: Extract<QueueWrite, { kind: 'insert' }>): undefined {
    const existing = this.sql.state.get(job.jobId);
    if (existing?.state === 'failed') {
      // Re-uploading a batch that failed is an explicit retry.
      this.sql.retryFailed.run(job.data, job.runAt, job.jobId);
    } else if (!existing) {
      this.sql.insert.run(
        job.jobId,
        job.name,
        job.maxAttempts,
        job.data,
        job.conversations,
        job.source,
        job.runAt,
        job.createdAt,
      );
    }
    return undefined;
  }

  /** Turns each schedule that is due into a job (one per due time, so a restart never runs it twice). */
  private enqueueDueSchedules(now: number): void {
    for (const s of this.sql.dueSchedules.all(now)) {
      if (!isJobName(s.name)) continue;
      this.db.transaction(() => {
        this.insert({
          kind: 'insert',
          name: s.name,
          jobId: `${s.name}-repeat-${s.next_run}`,
          maxAttempts: null,
          data: s.data,
          conversations: 0,
          source: JSON.stringify({ format: s.name }),
          runAt: now,
          createdAt: new Date(now).toISOString(),
        });
        this.sql.advanceSchedule.run(nextRun(s.cron, s.tz, now), s.name, s.cron, s.tz);
      })();
    }
  }
}

export function nextRun(cron: string, tz: string, after: number): number {
  return cronParser
    .parseExpression(cron, { currentDate: new Date(after), tz })
    .next()
    .getTime();
}
