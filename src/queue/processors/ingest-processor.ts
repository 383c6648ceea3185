import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import type { Logger } from '../../logging/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { Analyser } from '../../analysis/analysis-pool.js';
import { applyCorrections, correctionsThatFit } from '../../corrections/apply-corrections.js';
import type { ConversationStore, CorrectionStore } from '../../storage/types.js';
import type { IngestHandler } from '../types.js';

const WRITE_CHUNK = 100;
const PROGRESS_EVERY_MS = 1000;

/**
 * Analyses a batch and writes it to the store in chunks. Store writes upsert by id, so a retry
 * after a failure part-way (Elasticsearch down) rewrites the same documents and duplicates nothing.
 * A re-uploaded conversation keeps the analysts' corrections whose utterance text is unchanged.
 */
export function createIngestProcessor(deps: {
  /**
   * Resolved on the first job: loading the model is not start-up work. In embedded mode the
   * analysis pool (child processes), so the API's event loop only hands the results to the store.
   */
  analysis: () => Promise<Analyser>;
  store: ConversationStore;
  corrections: CorrectionStore;
  metrics: Metrics;
  logger: Logger;
  /** Conversations of this job that a later upload replaces (JobQueue.superseded). */
  superseded: (jobId: string, conversationIds: string[]) => Promise<Set<string>>;
  /** The next steps for what was written (profile updates): queued, never run inline. */
  written?: (docs: ProcessedConversation[]) => Promise<void>;
  /**
   * Conversations per store write (default: the whole chunk of 100). The embedded store writes in a
   * thread of its own (storage/sqlite/write-thread.ts), but a transaction there holds SQLite's write
   * lock, which other writers on the API's thread (keys, corrections) wait for: small ones keep
   * that wait short.
   */
  writeSlice?: number;
}): IngestHandler {
  const slice = deps.writeSlice ?? WRITE_CHUNK;
  return async (job) => {
    const { conversations } = job.data;
    const analyser = await deps.analysis();
    let written = 0;
    let indexed = 0;
    let reported = performance.now();
    for (let i = 0; i < conversations.length; i += WRITE_CHUNK) {
      const chunk = conversations.slice(i, i + WRITE_CHUNK);
      const results = await analyser.analyseMany(chunk);
      const corrections = await deps.corrections.forConversations(chunk.map((c) => c.id));
      const docs: ProcessedConversation[] = chunk.map((conversation, k) => {
        const mine = corrections.filter((c) => c.conversationId === conversation.id);
        const analysis = results[k]!.analysis;
        return {
          conversation,
          tokens: results[k]!.tokens,
          analysis: mine.length
            ? applyCorrections(analysis, correctionsThatFit(conversation, mine))
            : analysis,
          versions: analyser.versions,
          processedAt: new Date().toISOString(),
          ...(job.data.uploadSeq !== undefined ? { uploadSeq: job.data.uploadSeq } : {}),
        };
      });
      // Checked right before the write: a later upload of a conversation wins even when its job ran
      // first or alongside this one (v1, v2, v1 again ends on the last one sent).
      const stale = await deps.superseded(
        job.id,
        docs.map((d) => d.conversation.id),
      );
      const fresh = stale.size ? docs.filter((d) => !stale.has(d.conversation.id)) : docs;
      if (fresh.length) {
        for (let w = 0; w < fresh.length; w += slice) {
          if (w > 0) await new Promise((resolve) => setImmediate(resolve));
          await deps.store.upsertMany(fresh.slice(w, w + slice));
        }
        await deps.written?.(fresh);
      }
      if (stale.size) deps.logger.info({ jobId: job.id, superseded: stale.size }, 'later uploads win');
      written += docs.length;
      indexed += fresh.length;
      // In the embedded queue each progress write is an fsync'd commit on the API's thread, where
      // fsyncs were the event-loop stalls left (README "Large uploads"): at most one a second, and
      // none for the last chunk, whose 100 % the job's completion says.
      if (written < conversations.length && performance.now() - reported >= PROGRESS_EVERY_MS) {
        reported = performance.now();
        await job.reportProgress((written / conversations.length) * 100);
      }
    }
    deps.metrics.conversationsIndexed.inc(indexed);
    deps.logger.debug({ jobId: job.id, indexed }, 'job indexed');
    return { indexed };
  };
}
