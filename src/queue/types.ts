/** The queue port: Bull on Redis (distributed) or a SQLite-backed in-process queue (embedded). */
import type { IngestJobData, JobDataMap, JobName } from './jobs.js';

export type { IngestJobData, JobDataMap, JobName } from './jobs.js';

export interface IngestJobResult {
  indexed: number;
}

export const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Status of an upload's ingest job (GET /v1/jobs/:id). */
export interface JobStatus {
  id: string;
  state: JobState;
  /** 0..100 */
  progress: number;
  attemptsMade: number;
  conversations: number;
  source: IngestJobData['source'];
  createdAt: string;
  finishedAt?: string;
  failedReason?: string;
  result?: IngestJobResult;
}

export interface RunningJob<N extends JobName = 'ingest'> {
  id: string;
  name: N;
  data: JobDataMap[N];
  /** When the job was accepted (ms since epoch), for the latency metrics. */
  acceptedAt: number;
  /** No retry follows if this attempt fails: a step that owns a wider state (a re-analysis run) marks it failed. */
  lastAttempt: boolean;
  reportProgress(percent: number): Promise<void>;
}

export type JobHandler<N extends JobName> = (job: RunningJob<N>) => Promise<unknown>;
export type IngestHandler = (job: RunningJob<'ingest'>) => Promise<IngestJobResult>;

/** One handler per job name: the type makes a missing one a compile error, checkJobHandlers a boot error. */
export type JobHandlers = { ingest: IngestHandler } & {
  [N in Exclude<JobName, 'ingest'>]: JobHandler<N>;
};

export interface EnqueueOptions {
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  /** Attempts before the job is failed for good (default: the queue's). */
  attempts?: number;
}

/** A job the queue creates by itself on a schedule (cron in a time zone). */
export interface RepeatableJob<N extends JobName = JobName> {
  name: N;
  data: JobDataMap[N];
  /** Five-field cron expression, e.g. `0 8 * * 1`. */
  cron: string;
  /** IANA time zone of the cron expression, e.g. Asia/Shanghai. */
  tz: string;
}

export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface JobQueue {
  /**
   * Durably accept a job. Resolves only once the job would survive a crash. Idempotent by id:
   * a job id already known is not added twice (a failed one is retried).
   */
  enqueue<N extends JobName>(
    name: N,
    jobId: string,
    data: JobDataMap[N],
    options?: EnqueueOptions,
  ): Promise<void>;
  enqueueIngest(jobId: string, data: IngestJobData): Promise<void>;
  /**
   * Creates (or replaces) a repeatable job. Repeatable jobs run in whichever worker takes them; a
   * schedule is stored in the queue, so declaring it again from every process is harmless.
   */
  schedule<N extends JobName>(job: RepeatableJob<N>): Promise<void>;
  /**
   * Records that job `jobId` carries the latest upload of these conversations. Called before the job
   * is enqueued, in upload order, so "later" means accepted later by the API. Returns the upload's
   * sequence number: strictly increasing across every API process (time-based, so it is also above
   * any version a store gave a document before sequences existed). Stores refuse to replace a
   * document with one of a lower sequence, which makes the last upload sent win in any order.
   */
  claimLatest(jobId: string, conversationIds: string[]): Promise<number>;
  /** The ids among `conversationIds` whose latest upload is another job's: this job must not write them. */
  superseded(jobId: string, conversationIds: string[]): Promise<Set<string>>;
  /** An upload's ingest job. */
  getJob(id: string): Promise<JobStatus | undefined>;
  /** Upload (ingest) jobs in a state, newest first. */
  listJobs(state: JobState, limit: number): Promise<JobStatus[]>;
  /**
   * Jobs by state: upload (ingest) jobs by default; `'steps'` counts the steps after an upload
   * (profile updates, webhook deliveries, reports) instead (bench:profiles waits for them).
   */
  depth(scope?: 'uploads' | 'steps'): Promise<QueueDepth>;
  /** Start consuming every job name in this process (handlers checked by checkJobHandlers). */
  process(handlers: JobHandlers, concurrency: number): void;
  ping(): Promise<void>;
  /** Stop taking jobs; with drain, wait for in-flight jobs to finish first. */
  close(options?: { drain?: boolean }): Promise<void>;
}
