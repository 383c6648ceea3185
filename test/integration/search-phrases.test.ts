/**
 * GET /v1/search/phrases on both modes with the same demo conversations: the same top and rising
 * words, rising only with a period, and a bad query refused like a search.
 */
import assert from 'node:assert/strict';
import type { TestService } from '../helpers/test-service.js';
import { startDemoService } from '../e2e/demo-service.js';

interface Phrases {
  total: number;
  sample: number;
  top: { phrase: string; count: number }[];
  rising?: { phrase: string; count: number; previous: number; significant: boolean }[];
}

describe('significant phrases API (both modes)', function () {
  this.timeout(300_000);
  const services: TestService[] = [];
  after(async () => {
    for (const svc of services) await svc.stop();
  });

  it('gives the same top and rising words on the embedded and the distributed store', async () => {
    services.push(await startDemoService('embedded', 200), await startDemoService('distributed', 200));
    const answers: Phrases[][] = [];
    for (const svc of services) {
      const get = async (qs: string): Promise<Phrases> => {
        const res = await svc.request(`/v1/search/phrases?${qs}`, { role: 'analyst' });
        assert.equal(res.status, 200, await res.clone().text());
        return (await res.json()) as Phrases;
      };
      const all = await get('complaint=true');
      const period = await get('complaint=true&from=2026-08-01&to=2026-10-31');
      assert.ok(all.top.length > 0, 'complaints have words of their own');
      assert.equal(all.rising, undefined, 'no rising words without a period');
      assert.ok(Array.isArray(period.rising));
      assert.equal((await svc.request('/v1/search/phrases?q=(', { role: 'analyst' })).status, 400);
      assert.equal((await svc.request('/v1/search/phrases', { role: 'none' })).status, 401);
      answers.push([all, period]);
    }
    assert.deepEqual(answers[0], answers[1]);
  });
});
