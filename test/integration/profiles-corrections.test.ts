import assert from 'node:assert/strict';
import type { CustomerProfile } from '../../src/domain/tag.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`customer profiles follow corrections and re-uploads (${mode})`, function () {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    const upload = async (text: string) => {
      const response = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'corr-1',
          channel: 'chat',
          startedAt: new Date(Date.now() - 60_000).toISOString(),
          customerId: '13812345678',
          utterances: [
            { speaker: 'agent', text: '您好，请问有什么可以帮您？' },
            { speaker: 'customer', text },
          ],
        }),
      });
      assert.equal(response.status, 202, await response.text());
    };
    // The CRM asks with the id it knows; the profile is stored under the pseudonym ingest gave it.
    const profile = async () => {
      const r = await svc.request('/v1/customers/13812345678', { role: 'crm' });
      return r.status === 200 ? ((await r.json()) as CustomerProfile) : undefined;
    };
    const status = (p: CustomerProfile | undefined, key: string) =>
      p?.tags.find((t) => t.key === key)?.status;

    it('an analyst removing a label exits the tag; a re-upload that drops it does too; no clear number anywhere', async () => {
      await upload('孩子明年出国留学，想换点美元。另外我们准备买房，想问一下你们的房贷利率');
      let p = await eventually(profile, (x) => status(x, 'need.fx_overseas') === 'active', 60_000);
      assert.doesNotMatch(p!.customerId, /13812345678/);
      assert.equal(status(p, 'need.mortgage'), 'active', JSON.stringify(p!.tags.map((t) => t.key)));

      const correction = await svc.request(`/v1/conversations/corr-1/corrections`, {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ utterance: 1, label: 'need:mortgage', action: 'remove' }),
      });
      assert.equal(correction.status, 201, await correction.text());
      p = await eventually(profile, (x) => status(x, 'need.mortgage') === 'exited', 60_000);
      assert.equal(p!.tags.find((t) => t.key === 'need.mortgage')!.exitReason, 'corrected');

      await upload('我就问一下怎么换美元，孩子出国用');
      p = await eventually(
        profile,
        (x) => x?.tags.some((t) => t.evidence.some((e) => /怎么换美元/.test(e.quote))) === true,
        60_000,
      );
      assert.equal(status(p, 'need.fx_overseas'), 'active');
      // Exited and shown by no conversation any more: forgotten (the feed said `exited` already).
      assert.equal(
        status(p, 'need.mortgage'),
        undefined,
        'the re-upload replaced the old signals; nothing stale',
      );

      const feed = (await (await svc.request('/v1/tag-feed?limit=1000', { role: 'crm' })).json()) as {
        changes: unknown[];
      };
      assert.doesNotMatch(JSON.stringify(feed), /13812345678/);
    });
  });
}
