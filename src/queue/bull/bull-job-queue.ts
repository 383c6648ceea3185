import Queue from 'bull';
import type { Logger } from '../../logging/logger.js';
import { INGEST_JOB } from '../jobs.js';
import type {
  IngestHandler,
  IngestJobData,
  IngestJobResult,
  JobQueue,
  JobState,
  JobStatus,
  QueueDepth,
} from '../types.js';

export interface BullQueueOptions {
  redisUrl: string;
  prefix: string;
  attempts: number;
  backoffMs: number;
  logger: Logger;
}

const LATEST_TTL_SECONDS = 30 * 24 * 3600;

/** Bull on Redis: API processes enqueue, any number of `voc worker` processes consume. */
export class BullJobQueue implements JobQueue {
  private readonly queue: Queue.Queue<IngestJobData>;

  constructor(private readonly options: BullQueueOptions) {
    this.queue = new Queue<IngestJobData>('ingest', options.redisUrl, {
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        removeOnComplete: 10_000,
        removeOnFail: false,
      },
    });
    this.queue.on('error', (err) => options.logger.warn({ err }, 'redis connection problem'));
    this.queue.on('failed', (job, err) => {
      const last = job.attemptsMade >= (job.opts.attempts ?? 1);
      const entry = { jobId: String(job.id), attemptsMade: job.attemptsMade, err };
      if (last) options.logger.error(entry, 'job failed after its last attempt');
      else options.logger.warn(entry, 'job failed; will retry');
    });
  }

  /** Redis key of the latest upload of a conversation; kept 30 days (longer than any retry). */
  private latestKey(conversationId: string): string {
    return `${this.options.prefix}:latest-upload:${conversationId}`;
  }

  async claimLatest(jobId: string, conversationIds: string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    const multi = this.queue.client.multi();
    for (const id of conversationIds) multi.set(this.latestKey(id), jobId, 'EX', LATEST_TTL_SECONDS);
    await multi.exec();
  }

  async superseded(jobId: string, conversationIds: string[]): Promise<Set<string>> {
    if (conversationIds.length === 0) return new Set();
    const latest = await this.queue.client.mget(...conversationIds.map((id) => this.latestKey(id)));
    return new Set(conversationIds.filter((_, i) => latest[i] != null && latest[i] !== jobId));
  }

  async enqueueIngest(jobId: string, data: IngestJobData): Promise<void> {
    const existing = await this.queue.getJob(jobId);
    if (existing && (await existing.isFailed())) {
      await existing.retry();
      return;
    }
    // Bull ignores an add whose jobId already exists, which makes redelivery idempotent.
    await this.queue.add(INGEST_JOB, data, { jobId });
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const job = await this.queue.getJob(id);
    return job ? toStatus(job, await job.getState()) : undefined;
  }

  async listJobs(state: JobState, limit: number): Promise<JobStatus[]> {
    const jobs = await this.queue.getJobs([state], 0, Math.max(0, limit - 1));
    return jobs.filter((j) => j !== null).map((j) => toStatus(j, state));
  }

  async depth(): Promise<QueueDepth> {
    const c = await this.queue.getJobCounts();
    return {
      waiting: c.waiting,
      active: c.active,
      delayed: c.delayed,
      failed: c.failed,
      completed: c.completed,
    };
  }

  process(handler: IngestHandler, concurrency: number): void {
    void this.queue.process(INGEST_JOB, concurrency, async (job) =>
      handler({
        id: String(job.id),
        data: job.data,
        acceptedAt: job.timestamp,
        reportProgress: async (percent) => {
          await job.progress(Math.round(percent));
        },
      }),
    );
  }

  async ping(): Promise<void> {
    await this.queue.isReady();
    const client = this.queue.client;
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }

  async close(options: { drain?: boolean } = {}): Promise<void> {
    // Bull's close() waits for active jobs unless told not to: that is the SIGTERM drain.
    await this.queue.close(options.drain === false);
  }
}

function toStatus(job: Queue.Job<IngestJobData>, state: string): JobStatus {
  const progress = job.progress() as unknown;
  return {
    id: String(job.id),
    state: normaliseState(state),
    progress: typeof progress === 'number' ? progress : 0,
    attemptsMade: job.attemptsMade,
    conversations: job.data.conversations.length,
    source: job.data.source,
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    ...(job.failedReason ? { failedReason: job.failedReason } : {}),
    ...(job.returnvalue ? { result: job.returnvalue as IngestJobResult } : {}),
  };
}

function normaliseState(state: string): JobState {
  if (state === 'paused' || state === 'stuck') return 'waiting';
  return state as JobState;
}
