import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

interface SearchAnswer {
  hits: { id: string; conversation?: { utterances: { text: string }[] } }[];
}

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`chat sources as the platforms export them (${mode})`, function () {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    const upload = async (form: FormData) => {
      const response = await svc.request('/v1/conversations', { role: 'ingest', method: 'POST', body: form });
      const body = (await response.json()) as { accepted: number; warnings: unknown[] };
      assert.equal(response.status, 202, JSON.stringify(body));
      return body;
    };
    const search = async (q: string, id: string): Promise<SearchAnswer> =>
      eventually(
        async () =>
          (await (
            await svc.request(`/v1/search?q=${encodeURIComponent(q)}`, { role: 'analyst' })
          ).json()) as SearchAnswer,
        (answer) => answer.hits.some((h) => h.id === id),
      );

    it('a 微信客服 kf/sync_msg response uploads as-is (no format, no parameters) and is searchable', async () => {
      const form = new FormData();
      form.append(
        'file',
        new Blob([new Uint8Array(read('formats/wechat-kf-sync-msg.json'))]),
        'sync_msg.json',
      );
      const body = await upload(form);
      assert.equal(body.accepted, 2);
      assert.deepEqual(body.warnings, []);
      const id = 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q-wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw-1762135230';
      await search('年费', id);
      const customerOnly = await search('speaker:customer 招行', id);
      assert.ok(customerOnly.hits.some((h) => h.id === id));
      const doc = (await (await svc.request(`/v1/conversations/${id}`, { role: 'analyst' })).json()) as {
        startedAt: string;
        customerId: string;
        agentId: string;
        utterances: { speaker: string; text: string }[];
      };
      assert.equal(doc.startedAt, '2025-11-03T10:00:30+08:00');
      assert.equal(doc.customerId, 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw');
      assert.equal(doc.agentId, 'a-0731');
      assert.deepEqual(
        doc.utterances.map((u) => u.speaker),
        ['customer', 'agent', 'customer'],
      );
      assert.ok(!JSON.stringify(doc).includes('13812345678'), 'the phone number is masked');
    });

    it('a 企业微信 会话内容存档 export uploads as-is and is searchable', async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(read('formats/wecom-archive.jsonl'))]), 'chatdata.jsonl');
      assert.equal((await upload(form)).accepted, 1);
      await search('违约金', 'wecom-a-0512-wmErxtDgAA9AW32YyyuYRimKr7D1KWlw-1762218000');
    });

    it('any other export with a mapping part is searchable', async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(read('mapping/im-export.json'))]), 'im-export.json');
      form.append(
        'mapping',
        new Blob([new Uint8Array(read('mapping/im-export.mapping.yaml'))]),
        'mapping.yaml',
      );
      assert.equal((await upload(form)).accepted, 2);
      await search('养老金', 'S-20261103-01');
      const bad = new FormData();
      bad.append('file', new Blob([new Uint8Array(read('mapping/im-export.json'))]), 'im-export.json');
      bad.append('mapping', new Blob(['text: msg.text\n']), 'mapping.yaml');
      const response = await svc.request('/v1/conversations', { role: 'ingest', method: 'POST', body: bad });
      assert.equal(response.status, 400);
      assert.match(await response.text(), /mapping\.yaml speaker/);
    });
  });
}
