import assert from 'node:assert/strict';
import { HealthService } from '../../../src/observability/health-service.js';
import { createMemoryStores } from '../../../src/storage/memory/memory-stores.js';

describe('HealthService.readiness', () => {
  const store = createMemoryStores().conversations;
  const down = { ping: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) };

  it('is ready when the store and the queue answer', async () => {
    const health = new HealthService({ store, queue: { ping: () => Promise.resolve() } });
    assert.deepEqual(await health.readiness(), { ready: true, store: 'ok', queue: 'ok' });
  });

  it('reports a dependency that is down with its reason instead of throwing', async () => {
    const health = new HealthService({ store, queue: down });
    assert.deepEqual(await health.readiness(), {
      ready: false,
      store: 'ok',
      queue: 'down: connect ECONNREFUSED 127.0.0.1:6379',
    });
  });
});
