import { createHash } from 'node:crypto';
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import type { Logger } from '../../logging/logger.js';
import type { ProfileService } from '../../profiles/profile-service.js';
import { profileUpdateJobId } from '../jobs.js';
import type { JobHandler, JobQueue } from '../types.js';

/**
 * Queues the profile step for stored conversations that name a customer. The job id covers the
 * conversations' analyses, so a redelivered ingest job queues nothing new, while a re-analysis or a
 * correction that changes a label queues a fresh update.
 */
export async function queueProfileUpdates(
  queue: JobQueue,
  docs: readonly ProcessedConversation[],
): Promise<void> {
  const job = profileUpdateJob(docs);
  if (job) await queue.enqueue('profile-update', job.id, { conversationIds: job.conversationIds });
}

function profileUpdateJob(
  docs: readonly ProcessedConversation[],
): { id: string; conversationIds: string[] } | undefined {
  const withCustomer = docs.filter((d) => d.conversation.customerId);
  if (withCustomer.length === 0) return undefined;
  const stamp = createHash('sha256');
  for (const d of withCustomer)
    stamp.update(
      JSON.stringify([d.conversation.customerId, d.conversation.startedAt, d.versions, d.analysis]),
    );
  const ids = withCustomer.map((d) => d.conversation.id);
  return { id: profileUpdateJobId(ids, stamp.digest('hex')), conversationIds: ids };
}

/**
 * For a re-analysis: remembers each rewritten batch's profile job (ids and stamp only, not the
 * documents) and queues them all when the run ends, when readers see the new analyses.
 */
export function profileUpdatesAfterRewrite(queue: JobQueue): {
  batch(docs: ProcessedConversation[]): void;
  done(): Promise<void>;
} {
  let pending: { id: string; conversationIds: string[] }[] = [];
  return {
    batch(docs) {
      const job = profileUpdateJob(docs);
      if (job) pending.push(job);
    },
    async done() {
      const jobs = pending;
      pending = [];
      for (const job of jobs)
        await queue.enqueue('profile-update', job.id, { conversationIds: job.conversationIds });
    },
  };
}

/** `profile-update`: idempotent (signals are replaced, tags recomputed from all of them). */
export function createProfileUpdateProcessor(
  profiles: ProfileService,
  logger: Logger,
): JobHandler<'profile-update'> {
  return async (job) => {
    const result = await profiles.updateFromConversations(job.data.conversationIds);
    logger.debug({ jobId: job.id, ...result }, 'profiles updated');
    return result;
  };
}

/** `profile-expiry` (repeatable): retires tags past their lifetime, batch after batch. */
export function createProfileExpiryProcessor(profiles: ProfileService): JobHandler<'profile-expiry'> {
  return async (job) => {
    const limit = job.data.limit ?? 1000;
    let total = { customers: 0, changes: 0, trimmed: 0 };
    // Bounded: a customer whose update keeps losing to a newer one is left for the next run.
    for (let batch = 0; batch < 100; batch++) {
      const run = await profiles.expire(limit);
      total = {
        customers: total.customers + run.customers,
        changes: total.changes + run.changes,
        trimmed: total.trimmed + run.trimmed,
      };
      if (run.customers < limit) break;
    }
    return total;
  };
}
