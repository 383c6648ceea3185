import type { QueueConfig } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import { BullJobQueue } from './bull/bull-job-queue.js';
import { SqliteJobQueue } from './embedded/sqlite-job-queue.js';
import type { JobQueue } from './types.js';

export interface JobDefaults {
  attempts: number;
  backoffMs: number;
}

/** The one place that creates queues (STYLE.md practice 1): default attempts and backoff live here. */
export function createJobQueue(config: QueueConfig, defaults: JobDefaults, logger: Logger): JobQueue {
  switch (config.kind) {
    case 'redis':
      return new BullJobQueue({ redisUrl: config.url, prefix: config.prefix, ...defaults, logger });
    case 'embedded':
      return new SqliteJobQueue({ dataDir: config.dataDir, ...defaults, logger });
  }
}
