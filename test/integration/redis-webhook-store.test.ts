/** The Redis webhook store against the real Redis of `node scripts/with-services.js`, in a random prefix. */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisWebhookStore } from '../../src/storage/redis/redis-webhook-store.js';
import { describeWebhookStoreContract } from '../contract/webhook-store.contract.js';
import { testBackends } from '../helpers/test-service.js';

const prefix = `test-webhooks-${randomBytes(4).toString('hex')}`;
let n = 0;

after(async () => {
  const redis = new Redis(testBackends().redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describeWebhookStoreContract('redis', async () => {
  const store = new RedisWebhookStore(testBackends().redisUrl, `${prefix}-${++n}`);
  return { store, dispose: () => store.close() };
});
