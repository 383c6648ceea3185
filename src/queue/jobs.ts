import { createHash } from 'node:crypto';
import type { Conversation } from '../domain/conversation.js';

/**
 * Every job this service queues, by name. Each is its own idempotent step: an upload is analysed and
 * indexed (`ingest`), the customers it concerns are updated from the stored result (`profile-update`),
 * tags whose lifetime ran out are retired (`profile-expiry`, repeatable), tag changes are delivered to
 * webhook receivers (`webhook-delivery`), the weekly competitor report is produced
 * (`competitor-report`, repeatable), and offers left unanswered are settled as negatives
 * (`offer-no-answer`, repeatable), and a re-analysis run is planned page by page and re-analysed batch
 * by batch (`reanalysis`, progress in a ReanalysisRunStore). The queue carries references; the stores carry the data, except
 * for `ingest`, whose (already redacted) conversations are not stored anywhere yet.
 */
export const JOB_NAMES = [
  'ingest',
  'profile-update',
  'profile-expiry',
  'competitor-report',
  'webhook-delivery',
  'offer-no-answer',
  'reanalysis',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface IngestJobData {
  /** Already redacted: nothing unredacted is ever handed to a queue. Emptied once the job completes. */
  conversations: Conversation[];
  /** How many conversations the job carried, kept after its payload is dropped. */
  count?: number;
  /** The upload's sequence (JobQueue.claimLatest): stores keep the document of the highest. */
  uploadSeq?: number;
  source: { file?: string; format: string };
}

export interface ProfileUpdateJobData {
  /** Stored conversations whose customers' profiles must be brought up to date. */
  conversationIds: string[];
}

export interface ProfileExpiryJobData {
  /** Upper bound on customers retired in one run; the next run continues. */
  limit?: number;
}

export interface WebhookDeliveryJobData {
  /**
   * The receiver whose next changes to send (it reads them from its own feed cursor, so the job
   * carries no change); absent: the repeatable sweep, which queues a delivery per receiver with work.
   */
  webhookId?: string;
}

export interface CompetitorReportJobData {
  /** ISO week, e.g. 2026-W45; absent: the week that ended before the run. */
  week?: string;
}

export interface OfferNoAnswerJobData {
  /** Offers settled per store write (a page); the job goes on page after page until none is due. */
  pageSize?: number;
}

/**
 * One step of a re-analysis run. `plan` reads page `page` of the stored conversations (after the
 * cursor), queues its batch and the next plan step; `batch` re-analyses the page's conversations,
 * which it carries by id only. Job ids derive from the run and the page, so a redelivery is the same job.
 */
export type ReanalysisJobData =
  | { runId: string; step: 'plan'; page: number; after?: string }
  | { runId: string; step: 'batch'; page: number; conversationIds: string[] };

export const reanalysisJobId = (runId: string, step: 'plan' | 'batch', page: number): string =>
  `reanalysis-${runId}-${step}-${page}`;

export interface JobDataMap {
  ingest: IngestJobData;
  'profile-update': ProfileUpdateJobData;
  'profile-expiry': ProfileExpiryJobData;
  'webhook-delivery': WebhookDeliveryJobData;
  'competitor-report': CompetitorReportJobData;
  'offer-no-answer': OfferNoAnswerJobData;
  reanalysis: ReanalysisJobData;
}

/**
 * Job ids derive from the content and the upload it came in: a redelivered job keeps its id (the
 * queue never runs it twice at the same time), while every upload is a job of its own, so uploading
 * v1, v2 and v1 again runs three jobs and ends on the last one sent (a content-only id made the third
 * match the completed first job and be dropped). The stores upsert by conversation id regardless.
 */
export function ingestJobId(conversations: Conversation[], uploadId: string): string {
  const hash = createHash('sha256').update(uploadId).update('\n');
  for (const c of conversations) hash.update(JSON.stringify(c)).update('\n');
  return `ingest-${hash.digest('hex').slice(0, 32)}`;
}

/**
 * A profile update is identified by what it would read: the conversations and the analyses they had
 * when it was queued (`stamp`: versions and a digest of the labels). Re-queuing the same state is a
 * no-op; a re-analysis or an analyst's correction changes the stamp and so queues a new update.
 */
export function profileUpdateJobId(conversationIds: string[], stamp: string): string {
  const hash = createHash('sha256').update(stamp).update('\n');
  for (const id of conversationIds) hash.update(id).update('\n');
  return `profile-${hash.digest('hex').slice(0, 32)}`;
}

/** Exponential backoff shared by both queue implementations: base, 2×base, 4×base… capped at 5 min. */
export function backoffDelay(baseMs: number, attemptsMade: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
}
