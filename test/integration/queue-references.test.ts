import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { eventually, startTestService, testBackends, type TestService } from '../helpers/test-service.js';

describe('the queue carries references: completed uploads keep no conversations (distributed)', function () {
  let svc: TestService;
  before(async () => {
    svc = await startTestService('distributed');
  });
  after(async () => svc?.stop());

  it('drops the payload of a completed ingest job and still reports its size', async () => {
    const response = await svc.request('/v1/conversations', {
      role: 'ingest',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          id: 'ref-1',
          channel: 'chat',
          startedAt: '2026-11-01T10:00:00+08:00',
          utterances: [{ speaker: 'customer', text: '年费怎么收' }],
        },
        {
          id: 'ref-2',
          channel: 'chat',
          startedAt: '2026-11-01T10:05:00+08:00',
          utterances: [{ speaker: 'customer', text: '想办信用卡' }],
        },
      ]),
    });
    assert.equal(response.status, 202);
    const jobId = ((await response.json()) as { jobs: { id: string }[] }).jobs[0]!.id;
    const redis = new Redis(testBackends().redisUrl);
    try {
      const stored = await eventually(
        async () =>
          JSON.parse((await redis.hget(`${svc.queuePrefix}:ingest:${jobId}`, 'data')) ?? '{}') as {
            conversations?: unknown[];
            count?: number;
          },
        (data) => data.conversations?.length === 0,
      );
      assert.equal(stored.count, 2);
      const job = (await (await svc.request(`/v1/jobs/${jobId}`, { role: 'ingest' })).json()) as {
        state: string;
        conversations: number;
      };
      assert.deepEqual([job.state, job.conversations], ['completed', 2]);
    } finally {
      redis.disconnect();
    }
  });
});
