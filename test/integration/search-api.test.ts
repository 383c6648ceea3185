/**
 * The search API end to end on both modes: query syntax, filters, facets and histogram, saved
 * searches, streamed export and its audit entry, and the access rule of every new route.
 */
import assert from 'node:assert/strict';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const conversation = (id: string, startedAt: string, agentId: string, customer: string[]) => ({
  id,
  channel: 'call',
  startedAt,
  customerId: `cust-${id}`,
  agentId,
  utterances: customer.flatMap((text) => [
    { speaker: 'agent', text: '请问还有什么可以帮您' },
    { speaker: 'customer', text },
  ]),
});

const DOCS = [
  conversation('s1', '2026-10-01T10:00:00+08:00', 'a-011', ['你们的年费太贵了', '我要投诉到银保监会']),
  conversation('s2', '2026-10-09T10:00:00+08:00', 'a-012', ['网银登不上去', '手续费也太高了']),
  conversation('s3', '2026-10-20T10:00:00+08:00', 'a-001', ['我已经把钱都转到余额宝了']),
];

type Body = Record<string, unknown>;

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`search API (${mode})`, function () {
    let svc: TestService;
    const get = async (query: string, role: 'analyst' | 'ingest' | 'none' | 'admin' = 'analyst') =>
      svc.request(`/v1/search?${query}`, { role });
    const ids = async (query: string): Promise<string[]> => {
      const body = (await (await get(query)).json()) as { hits: { id: string }[] };
      return body.hits.map((h) => h.id).sort();
    };

    before(async () => {
      svc = await startTestService(mode);
      const upload = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DOCS),
      });
      assert.equal(upload.status, 202);
      await eventually(
        async () => ((await (await get('limit=1')).json()) as Body).total,
        (n) => n === DOCS.length,
        60_000,
      );
    });
    after(async () => svc?.stop());

    it('applies the query syntax: words, OR, NOT, phrases across segmentation, NEAR, speaker', async () => {
      const q = (text: string): string => `q=${encodeURIComponent(text)}`;
      assert.deepEqual(await ids(q('登不上')), ['s2']);
      assert.deepEqual(await ids(q('年费 OR 余额宝')), ['s1', 's3']);
      assert.deepEqual(await ids(q('年费 OR 余额宝 -转到')), ['s1']);
      assert.deepEqual(await ids(q('手续费 NEAR/3 高')), ['s2']);
      assert.deepEqual(await ids(q('手续费 NEAR/1 高')), []);
      assert.deepEqual(await ids(q('speaker:agent 年费')), []);
      assert.deepEqual(await ids(q('speaker:customer 年费')), ['s1']);
      const bad = await get(q('(年费'));
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(await bad.json()), /missing \)/);
    });

    it('filters by agent and date and returns facets and a filled weekly histogram', async () => {
      assert.deepEqual(await ids('agent=a-011,a-012'), ['s1', 's2']);
      const body = (await (await get('from=2026-10-01&to=2026-10-20&interval=week')).json()) as {
        total: number;
        facets: { agent: { value: string; count: number }[]; channel: unknown[] };
        histogram: { key: string; count: number }[];
      };
      assert.equal(body.total, 3);
      assert.deepEqual(body.facets.channel, [{ value: 'call', count: 3 }]);
      assert.equal(body.facets.agent.length, 3);
      assert.deepEqual(body.histogram, [
        { key: '2026-09-28', count: 1 },
        { key: '2026-10-05', count: 1 },
        { key: '2026-10-12', count: 0 },
        { key: '2026-10-19', count: 1 },
      ]);
      const post = await svc.request('/v1/search', {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ q: '年费', agent: ['a-011'], facets: false }),
      });
      const posted = (await post.json()) as {
        total: number;
        facets?: unknown;
        hits: { highlights: { text: string; spans: number[][] }[] }[];
      };
      assert.equal(posted.total, 1);
      assert.equal(posted.facets, undefined);
      assert.deepEqual(posted.hits[0]?.highlights[0]?.spans, [[3, 5]]);
      const invalid = await svc.request('/v1/search', {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ competitor: ['no-such-bank'] }),
      });
      assert.equal(invalid.status, 400);
    });

    it('keeps saved searches per API key; only the owner shares, unshares or deletes one', async () => {
      const create = await svc.request('/v1/saved-searches', {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '年费投诉', query: { q: '年费', interval: 'week' } }),
      });
      assert.equal(create.status, 201);
      const saved = (await create.json()) as { id: string };
      const mine = (await (await svc.request('/v1/saved-searches', { role: 'analyst' })).json()) as {
        items: { name: string }[];
      };
      assert.deepEqual(
        mine.items.map((s) => s.name),
        ['年费投诉'],
      );
      const admins = (await (await svc.request('/v1/saved-searches', { role: 'admin' })).json()) as {
        items: unknown[];
      };
      assert.deepEqual(admins.items, []);
      const foreign = await svc.request(`/v1/saved-searches/${saved.id}`, {
        role: 'admin',
        method: 'DELETE',
      });
      assert.equal(foreign.status, 404);
      const share = (role: 'analyst' | 'admin', shared: boolean) =>
        svc.request(`/v1/saved-searches/${saved.id}/shared`, {
          role,
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ shared }),
        });
      assert.equal((await share('admin', true)).status, 404, "someone else's private search is not found");
      const shared = (await (await share('analyst', true)).json()) as { shared: boolean; mine: boolean };
      assert.deepEqual([shared.shared, shared.mine], [true, true]);
      const seen = (await (await svc.request('/v1/saved-searches', { role: 'admin' })).json()) as {
        items: { id: string; ownerName: string; shared: boolean; mine: boolean }[];
      };
      assert.deepEqual(
        seen.items.map((s) => [s.id, s.ownerName, s.shared, s.mine]),
        [[saved.id, 'test analyst', true, false]],
      );
      const refused = await share('admin', false);
      assert.equal(refused.status, 403);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'not_owner');
      const notYours = await svc.request(`/v1/saved-searches/${saved.id}`, {
        role: 'admin',
        method: 'DELETE',
      });
      assert.equal(notYours.status, 403);
      const bad = await svc.request('/v1/saved-searches', {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x', query: { sort: 'sideways' } }),
      });
      assert.equal(bad.status, 400);
      const gone = await svc.request(`/v1/saved-searches/${saved.id}`, { role: 'analyst', method: 'DELETE' });
      assert.equal(gone.status, 204);
    });

    it('exports CSV with a BOM and NDJSON with a row limit, and audits each export', async () => {
      const csv = await svc.request('/v1/search/export?format=csv', { role: 'analyst' });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const bytes = new Uint8Array(await csv.arrayBuffer());
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
      assert.equal(lines.length, 4);
      const ndjson = await svc.request(
        `/v1/search/export?format=ndjson&maxRows=2&q=${encodeURIComponent('请问')}`,
        { role: 'analyst' },
      );
      const rows = (await ndjson.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string });
      assert.deepEqual(
        rows.map((r) => r.id),
        ['s3', 's2'],
      );
      const audit = (await (await svc.request('/v1/audit?limit=5', { role: 'admin' })).json()) as {
        items: { action: string; rows: number; format: string; actorName: string; query: Body }[];
      };
      assert.deepEqual(
        audit.items.map((e) => [e.action, e.format, e.rows, e.actorName, e.query.q]),
        [
          ['export', 'ndjson', 2, 'test analyst', '请问'],
          ['export', 'csv', 3, 'test analyst', undefined],
        ],
      );
      assert.equal((await svc.request('/v1/audit', { role: 'analyst' })).status, 403);
      assert.equal((await svc.request('/v1/search/export?q=(', { role: 'analyst' })).status, 400);
    });

    it('requires an analyst key on every search route, and serves the console shell without one', async () => {
      for (const path of ['/v1/search', '/v1/search/export', '/v1/saved-searches']) {
        assert.equal((await svc.request(path, { role: 'none' })).status, 401, path);
        assert.equal((await svc.request(path, { role: 'ingest' })).status, 403, path);
      }
      const page = await svc.request('/console', { role: 'none' });
      assert.equal(page.status, 200);
      assert.match(await page.text(), /客户之声/);
      const echarts = await svc.request('/console/vendor/echarts.min.js', { role: 'none' });
      assert.equal(echarts.status, 200);
      assert.equal((await svc.request('/console/..%2Fpackage.json', { role: 'none' })).status, 404);
    });
  });
}
