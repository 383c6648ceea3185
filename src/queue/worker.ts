import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobHandlers, JobQueue } from './types.js';

/** Starts consuming every job in this process, recording ingest outcome and latency metrics. */
export function startWorker(deps: {
  queue: JobQueue;
  handlers: JobHandlers;
  concurrency: number;
  metrics: Metrics;
  logger: Logger;
}): void {
  const { metrics } = deps;
  deps.queue.process(
    {
      ...deps.handlers,
      ingest: async (job) => {
        try {
          const result = await deps.handlers.ingest(job);
          metrics.jobsFinished.inc({ outcome: 'completed' });
          metrics.ingestLatency.observe((Date.now() - job.acceptedAt) / 1000);
          return result;
        } catch (err) {
          metrics.jobsFinished.inc({ outcome: 'failed_attempt' });
          throw err;
        }
      },
    },
    deps.concurrency,
  );
  deps.logger.info({ concurrency: deps.concurrency }, 'worker started');
}
