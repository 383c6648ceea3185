import { createHash } from 'node:crypto';
import type { Conversation } from '../domain/conversation.js';

/** The only job this service queues: index a batch of (already redacted) conversations. */
export const INGEST_JOB = 'ingest';

/**
 * Job ids derive from content, so a redelivered or re-uploaded batch maps to the same job and is
 * never processed twice at the same time; the stores upsert by conversation id regardless.
 */
export function ingestJobId(conversations: Conversation[]): string {
  const hash = createHash('sha256');
  for (const c of conversations) hash.update(JSON.stringify(c)).update('\n');
  return `ingest-${hash.digest('hex').slice(0, 32)}`;
}

/** Exponential backoff shared by both queue implementations: base, 2×base, 4×base… capped at 5 min. */
export function backoffDelay(baseMs: number, attemptsMade: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
}
