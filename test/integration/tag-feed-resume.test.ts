import assert from 'node:assert/strict';
import type { TagChange } from '../../src/domain/tag.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const call = (id: string, customerId: string, text: string) => ({
  id,
  channel: 'call',
  startedAt: new Date(Date.now() - 3_600_000).toISOString(),
  customerId,
  utterances: [
    { speaker: 'agent', text: '您好，请问有什么可以帮您？' },
    { speaker: 'customer', text },
  ],
});

const TEXTS = [
  '我想了解一下房贷，准备买房了',
  '孩子要出国留学，想换点美元',
  '你们的信用卡年费太贵了，我要投诉',
  '招商银行的存款利率比你们高，我想把钱转过去',
];

async function upload(svc: TestService, body: unknown): Promise<void> {
  const response = await svc.request('/v1/conversations', {
    role: 'ingest',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 202, await response.text());
}

async function page(svc: TestService, cursor: string | undefined, limit: number) {
  const response = await svc.request(`/v1/tag-feed?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, {
    role: 'crm',
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as { changes: TagChange[]; cursor: string; hasMore: boolean };
}

async function readAll(
  svc: TestService,
  cursor?: string,
): Promise<{ changes: TagChange[]; cursor?: string }> {
  const changes: TagChange[] = [];
  for (;;) {
    const p = await page(svc, cursor, 4);
    changes.push(...p.changes);
    cursor = p.cursor;
    if (!p.hasMore) return { changes, cursor };
  }
}

/** Waits until every customer's profile quotes every conversation uploaded for it. */
async function settled(svc: TestService, expected: Map<string, string[]>): Promise<void> {
  for (const [customer, ids] of expected) {
    await eventually(
      async () => {
        const r = await svc.request(`/v1/customers/${customer}`, { role: 'crm' });
        return r.status === 200 ? ((await r.json()) as { tags: TagChange['tag'][] }) : undefined;
      },
      (p) =>
        ids.every((id) => p?.tags.some((t) => t?.evidence.some((e) => e.conversationId === id)) === true),
      60_000,
    );
  }
}

const ident = (c: TagChange) => `${c.id}|${c.customerId}|${c.key}|${c.change}|${c.version}`;

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`tag feed: exactly-once resume across API restarts (${mode})`, function () {
    const running: TestService[] = [];
    after(async () => {
      for (const s of running.reverse()) await s.stop().catch(() => undefined);
    });

    it('a consumer resuming from its last cursor sees every change once, in order per customer', async () => {
      const first = await startTestService(mode);
      running.push(first);
      // Distributed: a second API process with its own worker shares the namespace from the start.
      const second =
        mode === 'distributed'
          ? await startTestService(mode, {}, ['api', 'worker'], {
              dataDir: first.dataDir,
              queuePrefix: first.queuePrefix,
              indexPrefix: first.indexPrefix,
            })
          : undefined;
      if (second) running.push(second);
      const expected = new Map<string, string[]>();
      const send = async (svc: TestService, id: string, customer: string, text: string) => {
        await upload(svc, call(id, customer, text));
        expected.set(customer, [...(expected.get(customer) ?? []), id]);
      };
      for (let i = 0; i < 6; i++)
        await send(i % 2 && second ? second : first, `r1-${i}`, `CUST-${i % 3}`, TEXTS[i % TEXTS.length]!);
      await settled(first, expected);

      // The consumer reads one page, then the API it talks to restarts.
      const firstPage = await page(first, undefined, 3);
      assert.equal(firstPage.changes.length, 3);
      await first.stop({ keepData: true });
      running.splice(running.indexOf(first), 1);
      const restarted = await startTestService(mode, {}, ['api', 'worker'], {
        dataDir: first.dataDir,
        queuePrefix: first.queuePrefix,
        indexPrefix: first.indexPrefix,
      });
      running.push(restarted);

      for (let i = 0; i < 4; i++)
        await send(
          i % 2 && second ? second : restarted,
          `r2-${i}`,
          `CUST-${i}`,
          TEXTS[(i + 1) % TEXTS.length]!,
        );
      await settled(restarted, expected);

      const rest = await readAll(restarted, firstPage.cursor);
      const resumed = [...firstPage.changes, ...rest.changes];
      const everything = (await readAll(second ?? restarted)).changes;
      assert.deepEqual(
        resumed.map(ident),
        everything.map(ident),
        'resumed = the whole feed, nothing twice or lost',
      );
      assert.equal(new Set(resumed.map((c) => c.id)).size, resumed.length);
      for (const customer of expected.keys()) {
        const versions = resumed.filter((c) => c.customerId === customer).map((c) => c.version);
        assert.deepEqual(
          versions,
          [...versions].sort((a, b) => a - b),
          `in order for ${customer}`,
        );
        assert.equal(new Set(versions).size, versions.length);
      }
      assert.ok(resumed.length > 6, `changes: ${resumed.length}`);
      // Nothing new: the next read from the last cursor is empty.
      assert.deepEqual((await page(restarted, rest.cursor, 10)).changes, []);
    });
  });
}
