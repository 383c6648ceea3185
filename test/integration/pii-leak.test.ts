import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { Redis } from 'ioredis';
import { leakedNumbers, renderings } from '../helpers/pii.js';
import {
  eventually,
  startTestService,
  testBackends,
  type Mode,
  type TestService,
} from '../helpers/test-service.js';

// Valid numbers: a mobile, an 18-digit ID with its GB 11643 check digit, a Luhn-valid UnionPay card.
const PHONE = '13912345678';
const ID_CARD = '110105198001010016';
const CARD = '6222021234567890128';
const NUMBERS = [PHONE, ID_CARD, CARD];

function readTree(dir: string): string {
  let out = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      out +=
        fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1') +
        fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('utf8');
  }
  return out;
}

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`no personal number survives ingest (${mode})`, function () {
    let svc: TestService;
    const responses: string[] = [];
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    it('masks every form in the store, index, queue, logs and API answers', async () => {
      const forms = Object.entries(renderings);
      const conversations = forms.map(([name, render], i) => ({
        id: `pii-${name}`,
        channel: 'call',
        startedAt: '2026-10-01T10:00:00+08:00',
        customerId: i === 0 ? PHONE : `cust-${i}`,
        utterances: [
          { speaker: 'agent', text: '请提供一下您的手机号和身份证号' },
          { speaker: 'customer', text: `手机号是${render(PHONE)}身份证${render(ID_CARD)}` },
          { speaker: 'customer', text: `卡号${render(CARD)}那个年费怎么收的` },
        ],
      }));
      const upload = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(conversations),
      });
      const uploadBody = await upload.text();
      responses.push(uploadBody);
      assert.equal(upload.status, 202, uploadBody);
      const form = new FormData();
      form.append(
        'file',
        new Blob([
          `坐席：请说一下卡号\n客户：卡号是${renderings.spaced(CARD)}手机${renderings.spoken(PHONE)}年费\n`,
        ]),
        `call-${PHONE}.txt`,
      );
      const fileUpload = await svc.request('/v1/conversations?startedAt=2026-10-02T10:00:00%2B08:00', {
        role: 'ingest',
        method: 'POST',
        body: form,
      });
      const fileUploadBody = await fileUpload.text();
      responses.push(fileUploadBody);
      assert.equal(fileUpload.status, 202);

      const found = await eventually(
        async () =>
          (
            await svc.request(`/v1/search?q=${encodeURIComponent('年费')}&limit=50`, { role: 'analyst' })
          ).text(),
        (body) => (JSON.parse(body) as { total: number }).total === forms.length + 1,
      );
      responses.push(found);
      for (const [name] of forms)
        responses.push(
          await (await svc.request(`/v1/conversations/pii-${name}`, { role: 'analyst' })).text(),
        );
      responses.push(await (await svc.request('/v1/jobs?state=completed', { role: 'ingest' })).text());
      // The upload's file name (call-<phone>.txt) is stored with its job.
      const fileJob = (JSON.parse(fileUploadBody) as { jobs: { id: string }[] }).jobs[0]!.id;
      const job = await (await svc.request(`/v1/jobs/${fileJob}`, { role: 'ingest' })).text();
      assert.match(job, /call-\*{7}5678\.txt/);
      responses.push(job);

      assert.deepEqual(leakedNumbers(responses.join('\n'), NUMBERS), [], 'API responses');
      assert.deepEqual(leakedNumbers(svc.logLines.join('\n'), NUMBERS), [], 'logs');
      assert.deepEqual(leakedNumbers(readTree(svc.dataDir), NUMBERS), [], 'data directory');

      if (mode === 'distributed') {
        const { elasticsearchUrl, redisUrl } = testBackends();
        const es = new Client({ node: elasticsearchUrl });
        await es.indices.refresh({ index: `${svc.indexPrefix}*` });
        const all = await es.search({ index: `${svc.indexPrefix}*`, size: 1000, query: { match_all: {} } });
        assert.ok(all.hits.hits.length >= forms.length, 'the documents are in Elasticsearch');
        assert.deepEqual(
          leakedNumbers(JSON.stringify(all.hits.hits), NUMBERS),
          [],
          'Elasticsearch documents',
        );
        await es.close();
        const redis = new Redis(redisUrl);
        let dump = '';
        for (const key of await redis.keys(`${svc.queuePrefix}:*`)) {
          const type = await redis.type(key);
          if (type === 'hash') dump += JSON.stringify(await redis.hgetall(key));
          else if (type === 'list') dump += JSON.stringify(await redis.lrange(key, 0, -1));
          else if (type === 'zset') dump += JSON.stringify(await redis.zrange(key, 0, -1));
          else if (type === 'set') dump += JSON.stringify(await redis.smembers(key));
          else if (type === 'string') dump += (await redis.get(key)) ?? '';
        }
        redis.disconnect();
        assert.ok(dump.length > 0, 'the queue holds job data to inspect');
        assert.deepEqual(leakedNumbers(dump, NUMBERS), [], 'Redis');
      }
    });
  });
}
