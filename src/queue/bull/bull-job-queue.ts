import Queue from 'bull';
import type { Logger } from '../../logging/logger.js';
import { checkJobHandlers, isJobName } from '../job-registry.js';
import { JOB_NAMES, type JobDataMap, type JobName } from '../jobs.js';
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

export interface BullQueueOptions {
  redisUrl: string;
  prefix: string;
  attempts: number;
  backoffMs: number;
  logger: Logger;
}

const LATEST_TTL_SECONDS = 30 * 24 * 3600;

/** max(now in µs-ish units, last + 1): strictly increasing, and above any internal document version. */
const NEXT_UPLOAD_SEQ = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local seq = math.max(now, last + 1)
redis.call('SET', KEYS[1], string.format('%.0f', seq))
return string.format('%.0f', seq)`;

/** Bull on Redis: API processes enqueue, any number of `voc worker` processes consume. */
export class BullJobQueue implements JobQueue {
  /** Uploads: what GET /v1/jobs and the queue-depth metric are about. */
  private readonly queue: Queue.Queue<JobDataMap[JobName]>;
  /** Every step after an upload (profiles, webhooks, reports): own Bull queue, so uploads' depth stays theirs. */
  private readonly tasks: Queue.Queue<JobDataMap[JobName]>;

  constructor(private readonly options: BullQueueOptions) {
    const create = (name: string) =>
      new Queue<JobDataMap[JobName]>(name, options.redisUrl, {
        prefix: options.prefix,
        defaultJobOptions: {
          attempts: options.attempts,
          backoff: { type: 'exponential', delay: options.backoffMs },
          removeOnComplete: 10_000,
          removeOnFail: false,
        },
      });
    this.queue = create('ingest');
    this.tasks = create('tasks');
    for (const q of [this.queue, this.tasks]) {
      q.on('error', (err) => options.logger.warn({ err }, 'redis connection problem'));
      q.on('failed', (job, err) => {
        const last = job.attemptsMade >= (job.opts.attempts ?? 1);
        const entry = { jobId: String(job.id), job: job.name, attemptsMade: job.attemptsMade, err };
        if (last) options.logger.error(entry, 'job failed after its last attempt');
        else options.logger.warn(entry, 'job failed; will retry');
      });
    }
    // The queue carries references: a completed upload keeps its count and source for GET /v1/jobs/:id,
    // not its conversations (10,000 kept jobs would otherwise hold ~2 million conversations in Redis).
    // Done on 'completed', never inside the handler, so a job that dies mid-way still has its data.
    this.queue.on('completed', (job) => {
      if (job.name !== 'ingest') return;
      const data = job.data as IngestJobData;
      if (data.conversations.length === 0) return;
      job
        .update({ ...data, conversations: [], count: data.conversations.length })
        .catch((err: unknown) =>
          options.logger.warn({ err, jobId: String(job.id) }, 'could not drop a completed job’s payload'),
        );
    });
  }

  private queueFor(name: JobName): Queue.Queue<JobDataMap[JobName]> {
    return name === 'ingest' ? this.queue : this.tasks;
  }

  /** Redis key of the latest upload of a conversation; kept 30 days (longer than any retry). */
  private latestKey(conversationId: string): string {
    return `${this.options.prefix}:latest-upload:${conversationId}`;
  }

  async claimLatest(jobId: string, conversationIds: string[]): Promise<number> {
    // Redis's own clock, so every API process draws from one strictly increasing sequence.
    const seq = Number(await this.queue.client.eval(NEXT_UPLOAD_SEQ, 1, `${this.options.prefix}:upload-seq`));
    if (conversationIds.length === 0) return seq;
    const multi = this.queue.client.multi();
    for (const id of conversationIds) multi.set(this.latestKey(id), jobId, 'EX', LATEST_TTL_SECONDS);
    await multi.exec();
    return seq;
  }

  async superseded(jobId: string, conversationIds: string[]): Promise<Set<string>> {
    if (conversationIds.length === 0) return new Set();
    const latest = await this.queue.client.mget(...conversationIds.map((id) => this.latestKey(id)));
    return new Set(conversationIds.filter((_, i) => latest[i] != null && latest[i] !== jobId));
  }

  async enqueue<N extends JobName>(
    name: N,
    jobId: string,
    data: JobDataMap[N],
    options: EnqueueOptions = {},
  ): Promise<void> {
    const queue = this.queueFor(name);
    const existing = await queue.getJob(jobId);
    if (existing && (await existing.isFailed())) {
      await existing.retry();
      return;
    }
    // Bull ignores an add whose jobId already exists, which makes redelivery idempotent.
    await queue.add(name, data, {
      jobId,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      ...(options.attempts ? { attempts: options.attempts } : {}),
    });
  }

  enqueueIngest(jobId: string, data: IngestJobData): Promise<void> {
    return this.enqueue('ingest', jobId, data);
  }

  async schedule<N extends JobName>(job: RepeatableJob<N>): Promise<void> {
    // Bull keys a repeatable job by name + cron + tz: declaring it again from every process is a no-op.
    await this.queueFor(job.name).add(job.name, job.data, { repeat: { cron: job.cron, tz: job.tz } });
  }

  async getJob(id: string): Promise<JobStatus | undefined> {
    const job = await this.queue.getJob(id);
    return job && job.name === 'ingest'
      ? toStatus(job as Queue.Job<IngestJobData>, await job.getState())
      : undefined;
  }

  async listJobs(state: JobState, limit: number): Promise<JobStatus[]> {
    const jobs = await this.queue.getJobs([state], 0, Math.max(0, limit - 1));
    return jobs
      .filter((j) => j !== null && j.name === 'ingest')
      .map((j) => toStatus(j as Queue.Job<IngestJobData>, state));
  }

  async depth(scope: 'uploads' | 'steps' = 'uploads'): Promise<QueueDepth> {
    const c = await (scope === 'uploads' ? this.queue : this.tasks).getJobCounts();
    return {
      waiting: c.waiting,
      active: c.active,
      delayed: c.delayed,
      failed: c.failed,
      completed: c.completed,
    };
  }

  process(handlers: JobHandlers, concurrency: number): void {
    checkJobHandlers(handlers);
    for (const name of JOB_NAMES) {
      const handler = handlers[name] as (job: RunningJob<JobName>) => Promise<unknown>;
      // Ingest does the heavy work; the other steps are small and share the same worker budget.
      void this.queueFor(name).process(name, name === 'ingest' ? concurrency : 1, async (job) => {
        if (!isJobName(job.name)) throw new Error(`Unknown job name ${job.name}`);
        return handler({
          id: String(job.id),
          name: job.name,
          data: job.data,
          acceptedAt: job.timestamp,
          // attemptsMade counts the attempts that failed before this one
          lastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          reportProgress: async (percent) => {
            await job.progress(Math.round(percent));
          },
        });
      });
    }
  }

  async ping(): Promise<void> {
    await Promise.all([this.queue.isReady(), this.tasks.isReady()]);
    const client = this.queue.client;
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
  }

  async close(options: { drain?: boolean } = {}): Promise<void> {
    // Bull's close() waits for active jobs unless told not to: that is the SIGTERM drain.
    // Uploads drain first: an ingest job finishing its last batch still queues its profile step.
    await this.queue.close(options.drain === false);
    await this.tasks.close(options.drain === false);
  }
}

function toStatus(job: Queue.Job<IngestJobData>, state: string): JobStatus {
  const progress = job.progress() as unknown;
  return {
    id: String(job.id),
    state: normaliseState(state),
    // Like the SQLite queue: a completed job is at 100 whatever its handler last reported.
    progress: state === 'completed' ? 100 : typeof progress === 'number' ? progress : 0,
    attemptsMade: job.attemptsMade,
    conversations: job.data.count ?? job.data.conversations.length,
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
