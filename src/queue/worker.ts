import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { IngestHandler, JobQueue } from './types.js';

/** Starts consuming ingest jobs in this process, recording outcome and latency metrics. */
export function startWorker(deps: {
  queue: JobQueue;
  handler: IngestHandler;
  concurrency: number;
  metrics: Metrics;
  logger: Logger;
}): void {
  const { metrics } = deps;
  deps.queue.process(async (job) => {
    try {
      const result = await deps.handler(job);
      metrics.jobsFinished.inc({ outcome: 'completed' });
      metrics.ingestLatency.observe((Date.now() - job.acceptedAt) / 1000);
      return result;
    } catch (err) {
      metrics.jobsFinished.inc({ outcome: 'failed_attempt' });
      throw err;
    }
  }, deps.concurrency);
  deps.logger.info({ concurrency: deps.concurrency }, 'worker started');
}
