import assert from 'node:assert/strict';
import type { CustomerProfile } from '../../src/domain/tag.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const CUSTOMER = 'CRM-770001';

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`bulk export of active tags (${mode})`, function () {
    let svc: TestService;

    before(async () => {
      svc = await startTestService(mode);
      const startedAt = new Date(Date.now() - 24 * 3600_000).toISOString();
      const upload = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: 'export-call-1',
          channel: 'call',
          startedAt,
          customerId: CUSTOMER,
          agentId: 'A-001',
          utterances: [
            { speaker: 'agent', text: '您好，安泰银行，请问有什么可以帮您？' },
            { speaker: 'customer', text: '我们家准备买房了，想问一下你们的房贷利率，我手机是13812345678' },
          ],
        }),
      });
      assert.equal(upload.status, 202, await upload.text());
      await eventually(
        async () => {
          const response = await svc.request(`/v1/customers/${CUSTOMER}`, { role: 'crm' });
          return response.status === 200 ? ((await response.json()) as CustomerProfile) : undefined;
        },
        (p) => p?.tags.some((t) => t.key === 'need.mortgage' && t.status === 'active') === true,
        60_000,
      );
      await svc.service.container.profiles.setConsent('CRM-770002', { doNotMarket: true });
    });
    after(async () => svc?.stop());

    it('streams CSV with a BOM, Chinese headers, plain numbers and redacted evidence; audited', async () => {
      const response = await svc.request('/v1/tags/export?format=csv', { role: 'crm' });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
      assert.ok(response.headers.get('x-tag-feed-cursor'));
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
      assert.equal(
        lines[0],
        '客户ID,标签,标签名称,版本,首次出现(北京时间),最近确认(北京时间),有效期至(北京时间),会话次数,置信度,来源,证据会话ID,证据时间(北京时间),证据语句',
      );
      const mortgage = lines.find((l) => l.includes(',need.mortgage,'));
      assert.ok(mortgage, lines.join('\n'));
      const cells = mortgage.split(',');
      assert.equal(cells[0], CUSTOMER);
      assert.equal(cells[2], '需求:房贷');
      assert.match(cells[3]!, /^\d+$/, 'version unquoted');
      assert.match(cells[7]!, /^1$/, 'count unquoted');
      assert.match(cells[8]!, /^(0|1)\.\d\d$/, 'confidence unquoted');
      assert.equal(cells[9], '会话');
      assert.equal(cells[10], 'export-call-1');
      assert.match(mortgage, /客户:.*房贷/);
      assert.doesNotMatch(mortgage, /13812345678/);
      const dnm = lines.find((l) => l.startsWith('CRM-770002,consent.do_not_market,勿营销,'));
      assert.ok(dnm, lines.join('\n'));
      assert.match(dnm, /,CRM,/);
      const rows = lines.length - 1;

      const audit = (await (await svc.request('/v1/audit', { role: 'admin' })).json()) as {
        items: { action: string; rows: number; format?: string }[];
      };
      const entry = audit.items.find((a) => a.action === 'tag-export');
      assert.deepEqual(entry && [entry.rows, entry.format], [rows, 'csv']);
    });

    it('streams NDJSON: one {customerId, tag} per line, the same tags as the profiles', async () => {
      const response = await svc.request('/v1/tags/export?format=ndjson', { role: 'admin' });
      assert.equal(response.status, 200);
      const rows = (await response.text())
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { customerId: string; tag: { key: string; status: string } });
      const profile = (await (
        await svc.request(`/v1/customers/${CUSTOMER}`, { role: 'crm' })
      ).json()) as CustomerProfile;
      assert.deepEqual(
        rows
          .filter((r) => r.customerId === CUSTOMER)
          .map((r) => r.tag.key)
          .sort(),
        profile.tags
          .filter((t) => t.status === 'active')
          .map((t) => t.key)
          .sort(),
      );
      assert.ok(rows.every((r) => r.tag.status === 'active'));
      assert.ok(rows.some((r) => r.customerId === 'CRM-770002' && r.tag.key === 'consent.do_not_market'));
    });

    it('refuses other roles and unknown formats with a JSON error', async () => {
      assert.equal((await svc.request('/v1/tags/export', { role: 'analyst' })).status, 403);
      const bad = await svc.request('/v1/tags/export?format=xlsx', { role: 'crm' });
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /format/);
    });
  });
}
