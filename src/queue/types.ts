/** The queue port: Bull on Redis (distributed) or a SQLite-backed in-process queue (embedded). */
import type { Conversation } from '../domain/conversation.js';

export interface IngestJobData {
  /** Already redacted: nothing unredacted is ever handed to a queue. */
  conversations: Conversation[];
  source: { file?: string; format: string };
}

export interface IngestJobResult {
  indexed: number;
}

export const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

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

export interface RunningJob {
  id: string;
  data: IngestJobData;
  /** When the upload was accepted (ms since epoch), for the ingest-latency metric. */
  acceptedAt: number;
  reportProgress(percent: number): Promise<void>;
}

export type IngestHandler = (job: RunningJob) => Promise<IngestJobResult>;

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
   * a job id already known is not added twice.
   */
  enqueueIngest(jobId: string, data: IngestJobData): Promise<void>;
  /**
   * Records that job `jobId` carries the latest upload of these conversations. Called before the job
   * is enqueued, in upload order, so "later" means accepted later by the API.
   */
  claimLatest(jobId: string, conversationIds: string[]): Promise<void>;
  /** The ids among `conversationIds` whose latest upload is another job's: this job must not write them. */
  superseded(jobId: string, conversationIds: string[]): Promise<Set<string>>;
  getJob(id: string): Promise<JobStatus | undefined>;
  listJobs(state: JobState, limit: number): Promise<JobStatus[]>;
  depth(): Promise<QueueDepth>;
  /** Start consuming in this process. */
  process(handler: IngestHandler, concurrency: number): void;
  ping(): Promise<void>;
  /** Stop taking jobs; with drain, wait for in-flight jobs to finish first. */
  close(options?: { drain?: boolean }): Promise<void>;
}
