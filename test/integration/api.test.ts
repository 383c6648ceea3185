import assert from 'node:assert/strict';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const conversation = (id: string, customerText: string, extra: Record<string, unknown> = {}) => ({
  id,
  channel: 'call',
  startedAt: '2026-10-15T10:00:00+08:00',
  customerId: 'cust-1',
  agentId: 'a-07',
  utterances: [
    { speaker: 'agent', text: '您好，很高兴为您服务', startMs: 0, endMs: 1800 },
    { speaker: 'customer', text: customerText, startMs: 1900, endMs: 3500 },
  ],
  ...extra,
});

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

async function searchUntil(svc: TestService, query: string, count: number) {
  return eventually(
    async () => json(await svc.request(`/v1/search?${query}`, { role: 'analyst' })),
    (body) => body.total === count,
  );
}

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`HTTP API (${mode})`, function () {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    it('answers /healthz without a key and /readyz with the mode', async () => {
      assert.equal((await svc.request('/healthz', { role: 'none' })).status, 200);
      const ready = await svc.request('/readyz', { role: 'none' });
      assert.equal(ready.status, 200);
      assert.deepEqual(await ready.json(), { status: 'ready', mode, store: 'ok', queue: 'ok' });
    });

    it('refuses a request without a key (401), with an unknown key (401) and with the wrong role (403)', async () => {
      const none = await svc.request('/v1/search?q=年费', { role: 'none' });
      assert.equal(none.status, 401);
      assert.match(String(((await json(none)).error as { message: string }).message), /Bearer/);
      const bogus = await svc.request('/v1/search', {
        role: 'none',
        headers: { authorization: 'Bearer voc_nope' },
      });
      assert.equal(bogus.status, 401);
      const wrongRole = await svc.request('/v1/search?q=年费', { role: 'ingest' });
      assert.equal(wrongRole.status, 403);
      assert.match(String(((await json(wrongRole)).error as { message: string }).message), /analyst/);
    });

    it('indexes a native JSON upload and finds it by a Chinese word, with highlights', async () => {
      const upload = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(conversation('api-json-1', '你们的信用卡年费太贵了')),
      });
      assert.equal(upload.status, 202);
      const accepted = await json(upload);
      assert.equal(accepted.accepted, 1);
      const jobId = (accepted.jobs as { id: string }[])[0]!.id;
      await eventually(
        async () => json(await svc.request(`/v1/jobs/${jobId}`, { role: 'ingest' })),
        (job) => job.state === 'completed',
      );
      const result = await searchUntil(svc, `q=${encodeURIComponent('年费')}`, 1);
      const hit = (
        result.hits as { id: string; highlights: { utterance: number; text: string; spans: number[][] }[] }[]
      )[0]!;
      assert.equal(hit.id, 'api-json-1');
      assert.deepEqual(hit.highlights[0], {
        utterance: 1,
        speaker: 'customer',
        text: '你们的信用卡年费太贵了',
        spans: [[6, 8]],
      });
      const one = await json(await svc.request('/v1/conversations/api-json-1', { role: 'analyst' }));
      assert.equal((one.utterances as unknown[]).length, 2);
      assert.ok(one.analysis, 'the conversation carries its analysis');
      const customer = (one.utterances as { labels: { label: string; start: number; end: number }[] }[])[1]!;
      const fees = customer.labels.find((l) => l.label === 'complaint:fees');
      assert.ok(fees, `the fee complaint is marked on the customer's utterance: ${JSON.stringify(customer)}`);
      assert.equal('你们的信用卡年费太贵了'.slice(fees.start, fees.end).includes('年费'), true);
    });

    it('indexes a multipart file upload (plain-text transcript)', async () => {
      const form = new FormData();
      const transcript =
        '坐席：您好请问有什么可以帮您\n客户：我想咨询一下大额存单的利率\n坐席：好的我帮您查一下\n';
      form.append('file', new Blob([transcript], { type: 'text/plain' }), 'call-778.txt');
      const upload = await svc.request('/v1/conversations?startedAt=2026-10-20T09:00:00%2B08:00', {
        role: 'ingest',
        method: 'POST',
        body: form,
      });
      const body = await json(upload);
      assert.equal(upload.status, 202, JSON.stringify(body));
      const result = await searchUntil(svc, `q=${encodeURIComponent('大额存单')}`, 1);
      const hit = (result.hits as { highlights: { speaker: string }[] }[])[0]!;
      assert.equal(hit.highlights[0]?.speaker, 'customer');
    });

    it('answers malformed JSON with 400 and says where', async () => {
      const response = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"id": "x", "channel": ',
      });
      assert.equal(response.status, 400);
      const error = (await json(response)).error as { code: string; message: string };
      assert.match(error.message, /not valid JSON/);
    });

    it('accepts the good items of a batch and reports each bad one by JSON path', async () => {
      const response = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          conversation('batch-good-1', '我想办一张信用卡'),
          conversation('batch-bad-1', '你好', { channel: 'fax' }),
          conversation('batch-good-2', '房贷利率能降吗'),
        ]),
      });
      assert.equal(response.status, 202);
      const body = await json(response);
      assert.equal(body.accepted, 2);
      const issues = body.issues as { where: string; message: string }[];
      assert.equal(issues.length, 1, JSON.stringify(issues));
      assert.match(issues[0]!.where, /^\$\[1\]/);
      assert.match(issues[0]!.where + issues[0]!.message, /channel/);
    });

    it('stores and counts a conversation uploaded twice once, the later version winning', async () => {
      for (const text of ['第一版 转账失败', '第二版 转账失败了好几次']) {
        const response = await svc.request('/v1/conversations', {
          role: 'ingest',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(conversation('dup-1', text)),
        });
        assert.equal(response.status, 202);
      }
      const result = await searchUntil(svc, `q=${encodeURIComponent('第二版')}`, 1);
      assert.equal(result.total, 1);
      const older = await json(
        await svc.request(`/v1/search?q=${encodeURIComponent('第一版')}`, { role: 'analyst' }),
      );
      assert.equal(older.total, 0);
    });

    it('filters by channel and date range', async () => {
      const chat = {
        ...conversation('chat-filter-1', '网银登录失败'),
        channel: 'chat',
        startedAt: '2026-09-01T12:00:00+08:00',
      };
      await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${JSON.stringify(chat)}\n`,
      });
      await searchUntil(svc, `q=${encodeURIComponent('登录失败')}`, 1);
      const q = encodeURIComponent('登录失败');
      assert.equal(
        (await json(await svc.request(`/v1/search?q=${q}&channel=call`, { role: 'analyst' }))).total,
        0,
      );
      assert.equal(
        (
          await json(
            await svc.request(`/v1/search?q=${q}&channel=chat&from=2026-09-01&to=2026-09-01`, {
              role: 'analyst',
            }),
          )
        ).total,
        1,
      );
      assert.equal(
        (await json(await svc.request(`/v1/search?q=${q}&from=2026-09-02`, { role: 'analyst' }))).total,
        0,
      );
      const bad = await svc.request('/v1/search?from=yesterday', { role: 'analyst' });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(await bad.json()), /query\.from/);
    });

    it('answers a body over the limit with 413', async () => {
      const big = 'x'.repeat(svc.config.limits.maxBodyBytes + 1);
      const response = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      assert.equal(response.status, 413);
    });

    it('serves an OpenAPI document and Prometheus metrics', async () => {
      const doc = await json(await svc.request('/v1/openapi.json', { role: 'none' }));
      assert.equal(doc.openapi, '3.1.0');
      const paths = doc.paths as Record<string, Record<string, { parameters: { name: string }[] }>>;
      assert.ok(paths['/v1/search']?.get?.parameters.some((p) => p.name === 'q'));
      assert.ok(paths['/v1/conversations']?.post);
      const metrics = await (await svc.request('/metrics', { role: 'admin' })).text();
      assert.match(metrics, /voc_queue_jobs\{state="completed"\} [1-9]/);
      assert.match(metrics, /voc_ingest_latency_seconds_count [1-9]/);
      assert.equal((await svc.request('/metrics', { role: 'analyst' })).status, 403);
    });
  });
}
