import { randomUUID } from 'node:crypto';
import type { Conversation } from '../domain/conversation.js';
import type { Logger } from '../logging/logger.js';
import { redactConversation, redactText } from '../pipeline/redact/index.js';
import { ingestJobId } from '../queue/jobs.js';
import type { IngestJobData, JobQueue } from '../queue/types.js';

export interface AcceptedBatch {
  /** One job per batch of at most `batchSize` conversations. */
  jobs: { id: string; conversations: number }[];
  accepted: number;
  /** Personal numbers masked before anything was stored or queued. */
  redactions: number;
  /** Conversations stored with the time received, as nothing gave a start time (ids as stored). */
  undated: { id: string; file?: string; startedAt: string }[];
}

/**
 * Accepts parsed conversations: redacts them (nothing unredacted leaves this function), then
 * hands them to the queue in batches. The queue write is the durable acknowledgement: when this
 * resolves, the conversations survive a crash of this process.
 */
export class IngestService {
  constructor(
    private readonly queue: JobQueue,
    private readonly batchSize: number,
    private readonly logger: Logger,
    private readonly pseudonymiseId: (original: string, masked: string) => string,
  ) {}

  /** `fileOf` names the (already masked) file a conversation came from, for the `undated` list. */
  async accept(
    conversations: Conversation[],
    source: IngestJobData['source'],
    fileOf?: (original: Conversation) => string | undefined,
  ): Promise<AcceptedBatch> {
    // Within one upload the later version of a conversation id wins, as it does across uploads.
    const byId = new Map<string, Conversation>();
    const files = new Map<string, string | undefined>();
    let redactions = 0;
    for (const original of conversations) {
      const { conversation, found } = redactConversation(original, { pseudonymiseId: this.pseudonymiseId });
      redactions += found;
      byId.delete(conversation.id);
      byId.set(conversation.id, conversation);
      files.set(conversation.id, fileOf?.(original));
    }
    const unique = [...byId.values()];
    const undated = unique
      .filter((c) => c.startedAtSource === 'received')
      .map((c) => {
        const file = files.get(c.id);
        return { id: c.id, ...(file !== undefined ? { file } : {}), startedAt: c.startedAt };
      });
    // The upload's file names are stored with the job and shown by GET /v1/jobs/:id.
    if (source.file !== undefined) {
      const file = redactText(source.file);
      redactions += file.found.length;
      source = { ...source, file: file.text };
    }
    const jobs: AcceptedBatch['jobs'] = [];
    const uploadId = randomUUID();
    for (let i = 0; i < unique.length; i += this.batchSize) {
      const batch = unique.slice(i, i + this.batchSize);
      const id = ingestJobId(batch, uploadId);
      // Claimed before the job exists: an earlier job still running skips these conversations.
      const uploadSeq = await this.queue.claimLatest(
        id,
        batch.map((c) => c.id),
      );
      await this.queue.enqueueIngest(id, { conversations: batch, source, uploadSeq });
      jobs.push({ id, conversations: batch.length });
    }
    this.logger.info(
      {
        format: source.format,
        accepted: unique.length,
        jobs: jobs.length,
        redactions,
        undated: undated.length,
      },
      'conversations accepted',
    );
    return { jobs, accepted: unique.length, redactions, undated };
  }
}
