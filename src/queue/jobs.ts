import { createHash } from 'node:crypto';
import type { Conversation } from '../domain/conversation.js';

/** The only job this service queues: index a batch of (already redacted) conversations. */
export const INGEST_JOB = 'ingest';

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

/** Exponential backoff shared by both queue implementations: base, 2×base, 4×base… capped at 5 min. */
export function backoffDelay(baseMs: number, attemptsMade: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
}
