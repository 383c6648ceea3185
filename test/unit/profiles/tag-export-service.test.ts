import assert from 'node:assert/strict';
import type { Tag } from '../../../src/domain/tag.js';
import { TagExportService, tagName } from '../../../src/profiles/tag-export-service.js';
import type { AuditEntry, AuditLog } from '../../../src/storage/types.js';

const tag = (key: string, extra: Partial<Tag> = {}): Tag => ({
  key,
  status: 'active',
  version: 3,
  firstSeen: '2026-03-10T01:30:00.000Z',
  lastQualified: '2026-03-10T01:30:00.000Z',
  validUntil: '2026-04-21T01:30:00.000Z',
  count: 2,
  confidence: 0.9,
  evidence: [
    {
      conversationId: 'mar-call',
      utterance: 1,
      speaker: 'customer',
      quote: '想问一下房贷利率, "三成"首付',
      at: '2026-03-10T01:30:00.000Z',
      channel: 'call',
      versions: {
        pipeline: 'p1',
        rules: 'r1',
        model: 'm1',
      } as unknown as Tag['evidence'][number]['versions'],
    },
  ],
  ...extra,
});

describe('tag export', () => {
  it('names tags in Chinese, keeping unknown ids', () => {
    assert.equal(tagName('need.mortgage'), '需求:房贷');
    assert.equal(tagName('complaint.open'), '投诉未解决');
    assert.equal(tagName('consent.do_not_market'), '勿营销');
    assert.equal(tagName('need.unheard_of'), '需求:unheard_of');
  });

  it('writes one CSV row per tag with plain numbers, quoted text and Beijing times; records the export', async () => {
    const audit: AuditEntry[] = [];
    const log: AuditLog = { append: async (e) => void audit.push(e), list: async () => audit };
    async function* snapshot() {
      yield { cursor: 'CUR' };
      yield { customerId: 'C1', tag: tag('need.mortgage') };
      yield { customerId: 'C2', tag: tag('consent.do_not_market', { evidence: [], source: 'crm' }) };
    }
    const service = new TagExportService({ snapshot } as never, log);
    const progress = { rows: 0 };
    const { cursor, chunks } = await service.open('csv', progress);
    let text = '';
    for await (const c of chunks) text += c;
    assert.equal(cursor, 'CUR');
    const lines = text.split('\r\n');
    assert.ok(lines[0]!.startsWith('\uFEFF客户ID,标签,标签名称,版本'));
    assert.equal(
      lines[1],
      'C1,need.mortgage,需求:房贷,3,2026-03-10 09:30:00,2026-03-10 09:30:00,2026-04-21 09:30:00,2,0.90,会话,mar-call,2026-03-10 09:30:00,"客户:想问一下房贷利率, ""三成""首付"',
    );
    assert.equal(
      lines[2],
      'C2,consent.do_not_market,勿营销,3,2026-03-10 09:30:00,2026-03-10 09:30:00,2026-04-21 09:30:00,2,0.90,CRM,,,',
    );
    assert.equal(progress.rows, 2);
    await service.record({ actor: 'k1', actorName: 'crm', rows: 2, format: 'csv' });
    assert.deepEqual(
      audit.map((a) => [a.action, a.rows, a.format]),
      [['tag-export', 2, 'csv']],
    );
  });
});
