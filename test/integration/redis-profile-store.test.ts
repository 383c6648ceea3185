import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisProfileStore } from '../../src/storage/redis/redis-profile-store.js';
import { computed, describeProfileStoreContract, signalsOf } from '../contract/profile-store.contract.js';
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

const AT = '2026-03-10T04:00:00.000Z';

describe('RedisProfileStore: revisions counted before the revision had its own key', function () {
  it('continues from the revision kept in the meta hash, so earlier applied computations stay older', async () => {
    const { redisUrl } = testBackends();
    const prefix = `test-profiles-${randomBytes(4).toString('hex')}`;
    const store = new RedisProfileStore(redisUrl, prefix);
    const redis = new Redis(redisUrl);
    try {
      // What an earlier version left: the revision counted in meta, a computation at 7 applied.
      await redis.hset(`${prefix}:profiles:meta:A`, 'revision', 7, 'appliedRevision', 7, 'version', 0);
      assert.equal((await store.load('A')).state.revision, 7);
      const touched = await store.putSignals([signalsOf('c1', 'A', ['need.mortgage'])]);
      assert.equal(touched.get('A'), 8);
      assert.equal((await store.load('A')).state.revision, 8);
      assert.equal(await store.setConsent('A', {}), 9);
      assert.equal((await store.applyTags('A', [computed('need.mortgage')], 6, AT)).stale, true);
      const applied = await store.applyTags('A', [computed('need.mortgage')], 9, AT);
      assert.deepEqual(
        applied.changes.map((c) => [c.key, c.change]),
        [['need.mortgage', 'entered']],
      );
    } finally {
      await store.close();
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
