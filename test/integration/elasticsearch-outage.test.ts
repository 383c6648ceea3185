import assert from 'node:assert/strict';
import { generateConversations } from '../../pipelines/demo-data/generate.js';
import { eventually, startTestService, testBackends, type TestService } from '../helpers/test-service.js';

interface EsHandle {
  url: string;
  dir: string;
  stopped?: boolean;
}

// The harness (plain JS) that starts Elasticsearch for test runs; here it starts a node of our own to stop.
const harness = '../../scripts/services.js';
const { startElasticsearch, stopService } = (await import(harness)) as {
  startElasticsearch(options: { port?: number; reuseDir?: string }): Promise<EsHandle>;
  stopService(handle: EsHandle, options?: { keepDir?: boolean }): Promise<void>;
};

describe('Elasticsearch stopped mid-ingest (distributed)', function () {
  let es: EsHandle | undefined;
  let svc: TestService | undefined;
  after(async () => {
    await svc?.stop().catch(() => undefined);
    if (es) await stopService(es);
  });

  it('loses and duplicates no conversation once Elasticsearch is back', async () => {
    es = await startElasticsearch({});
    const port = Number(new URL(es.url).port);
    svc = await startTestService('distributed', {
      ELASTICSEARCH_URL: es.url,
      REDIS_URL: testBackends().redisUrl,
      INGEST_BATCH_SIZE: '100',
      JOB_ATTEMPTS: '15',
      JOB_BACKOFF_MS: '500',
      WORKER_CONCURRENCY: '1',
    });
    const conversations = [...generateConversations({ count: 3000, seed: 11 })];
    const upload = await svc.request('/v1/conversations', {
      role: 'ingest',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(conversations),
    });
    assert.equal(upload.status, 202);
    const { jobs } = (await upload.json()) as { jobs: { id: string }[] };
    assert.equal(jobs.length, 30);

    const queue = svc.service.container.queue;
    await eventually(
      () => queue.depth(),
      (d) => d.completed >= 2,
      60_000,
    );
    await stopService(es, { keepDir: true });
    const duringOutage = await queue.depth();
    assert.ok(duringOutage.completed < 30, `the outage must hit mid-ingest: ${JSON.stringify(duringOutage)}`);
    // Let jobs fail against the stopped node and back off.
    await eventually(
      () => queue.depth(),
      (d) => d.delayed > 0,
      30_000,
    );

    es = await startElasticsearch({ port, reuseDir: es.dir });
    const final = await eventually(
      () => queue.depth(),
      (d) => d.completed + d.failed === 30,
      180_000,
    );
    assert.equal(final.failed, 0, JSON.stringify(await queue.listJobs('failed', 5)));

    const store = svc.service.container.stores.conversations;
    await store.refresh();
    assert.equal(await store.count(), 3000, 'every conversation exactly once');
    for (const c of [conversations[0]!, conversations[1499]!, conversations[2999]!]) {
      assert.equal((await store.get(c.id))?.conversation.id, c.id);
    }
  });
});
