import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisOfferStore } from '../../src/storage/redis/redis-offer-store.js';
import { describeOfferStoreContract } from '../contract/offer-store.contract.js';
import { testBackends } from '../helpers/test-service.js';

// The same contract as SQLite's, against the real Redis the distributed mode uses (the caps' Lua).
describeOfferStoreContract('redis', async () => {
  const { redisUrl } = testBackends();
  const prefix = `test-offers-${randomBytes(4).toString('hex')}`;
  const store = new RedisOfferStore(redisUrl, prefix);
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
