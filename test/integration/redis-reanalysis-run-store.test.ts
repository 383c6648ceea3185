import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisReanalysisRunStore } from '../../src/storage/redis/redis-reanalysis-run-store.js';
import { describeReanalysisRunStoreContract } from '../contract/reanalysis-run-store.contract.js';
import { testBackends } from '../helpers/test-service.js';

// The same contract as SQLite's, against the real Redis the distributed mode uses.
describeReanalysisRunStoreContract('redis', async () => {
  const { redisUrl } = testBackends();
  const prefix = `test-runs-${randomBytes(4).toString('hex')}`;
  const store = new RedisReanalysisRunStore(redisUrl, prefix);
  return {
    store,
    dispose: async () => {
      await store.close();
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
});
