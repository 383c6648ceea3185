/** The JobQueue contract against Bull on the real Redis of the distributed mode. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullJobQueue } from '../../src/queue/bull/bull-job-queue.js';
import { describeJobQueueContract } from '../contract/job-queue.contract.js';
import { memoryLogger } from '../helpers/silent-logger.js';
import { testBackends } from '../helpers/test-service.js';

describeJobQueueContract('bull', async ({ attempts, backoffMs }) => {
  const { redisUrl } = testBackends();
  const prefix = `test-queue-${randomBytes(4).toString('hex')}`;
  const queue = new BullJobQueue({ redisUrl, prefix, attempts, backoffMs, logger: memoryLogger().logger });
  let closed = false;
  const close = queue.close.bind(queue);
  queue.close = async (options) => {
    closed = true;
    await close(options);
  };
  return {
    queue,
    dispose: async () => {
      if (!closed) await close({ drain: false });
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
});
