import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisControlBus } from '../../src/control/control-bus.js';
import { describeControlBusContract } from '../contract/control-bus.contract.js';
import { memoryLogger } from '../helpers/silent-logger.js';
import { testBackends } from '../helpers/test-service.js';

// The same contract as the embedded bus's, over the real Redis pub/sub of the distributed mode.
describeControlBusContract('redis', async () => {
  const { redisUrl } = testBackends();
  const prefix = `test-bus-${randomBytes(4).toString('hex')}`;
  const bus = new RedisControlBus(redisUrl, prefix, memoryLogger().logger);
  return {
    bus,
    dispose: async () => {
      await bus.close();
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
});
