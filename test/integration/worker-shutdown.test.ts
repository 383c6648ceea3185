import assert from 'node:assert/strict';
import { generateConversations } from '../../pipelines/demo-data/generate.js';
import { exitOf, spawnVoc } from '../helpers/spawn-voc.js';
import { eventually, startTestService, testBackends } from '../helpers/test-service.js';

describe('SIGTERM on a worker (distributed)', function () {
  it('finishes the in-flight job before exiting', async () => {
    // An API-only service enqueues; a separate `voc worker` process consumes.
    const api = await startTestService('distributed', { INGEST_BATCH_SIZE: '3000' }, ['api']);
    const { elasticsearchUrl, redisUrl } = testBackends();
    const env = {
      ELASTICSEARCH_URL: elasticsearchUrl,
      REDIS_URL: redisUrl,
      ELASTICSEARCH_INDEX_PREFIX: api.indexPrefix,
      QUEUE_PREFIX: api.queuePrefix,
      ID_HASH_SECRET: 'test-secret-0123456789abcdef',
      LOG_LEVEL: 'info',
      WORKER_METRICS_PORT: String(20000 + Math.floor(Math.random() * 20000)),
    };
    try {
      const conversations = [...generateConversations({ count: 3000, seed: 7 })];
      const upload = await api.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(conversations),
      });
      assert.equal(upload.status, 202);
      const [job] = ((await upload.json()) as { jobs: { id: string }[] }).jobs;
      const worker = spawnVoc(['worker'], env);
      await eventually(
        async () =>
          (await (await api.request(`/v1/jobs/${job!.id}`, { role: 'ingest' })).json()) as {
            state: string;
            progress: number;
          },
        (status) => status.state === 'active' && status.progress > 0,
        60_000,
      );
      const metrics = await (await fetch(`http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`)).text();
      assert.match(metrics, /voc_queue_jobs\{state="active"\} 1/);
      worker.kill('SIGTERM');
      assert.equal(await exitOf(worker), 0, worker.output());
      const status = (await (await api.request(`/v1/jobs/${job!.id}`, { role: 'ingest' })).json()) as {
        state: string;
      };
      assert.equal(status.state, 'completed', worker.output());
      await api.service.container.stores.conversations.refresh();
      assert.equal(await api.service.container.stores.conversations.count(), 3000);
    } finally {
      await api.stop();
    }
  });
});
