import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisProfileStore } from '../../src/storage/redis/redis-profile-store.js';
import { describeProfileStoreContract } from '../contract/profile-store.contract.js';
import { testBackends } from '../helpers/test-service.js';

// The same contract as SQLite's, against the real Redis the distributed mode uses.
describeProfileStoreContract('redis', async () => {
  const { redisUrl } = testBackends();
  const prefix = `test-profiles-${randomBytes(4).toString('hex')}`;
  const store = new RedisProfileStore(redisUrl, prefix);
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
