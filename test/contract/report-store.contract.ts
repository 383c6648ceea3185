/** The behaviour every ReportStore must have (memory and SQLite here, Elasticsearch in the integration tier). */
import assert from 'node:assert/strict';
import type { ReportStore, StoredReport } from '../../src/storage/types.js';

function record(week: string, from: string, report: unknown = { competitors: [] }): StoredReport {
  return {
    id: `competitors-${week}`,
    kind: 'competitors',
    title: `竞品分析报告 ${week}`,
    week,
    from,
    to: from.replace('T00:00:00.000', 'T23:59:59.999'),
    createdAt: '2026-11-09T00:00:05.000Z',
    report,
  };
}

export function describeReportStoreContract(
  name: string,
  factory: () => Promise<{ store: ReportStore; dispose(): Promise<void> }>,
): void {
  describe(`ReportStore contract: ${name}`, () => {
    let f: { store: ReportStore; dispose(): Promise<void> };
    beforeEach(async () => {
      f = await factory();
    });
    afterEach(() => f.dispose());

    it('keeps a report with its PDF, replaces it by id, lists newest period first without bodies', async () => {
      const pdf = Buffer.from('%PDF-1.4 招商银行 \u0000\u00ff', 'utf8');
      await f.store.put(record('2026-W44', '2026-10-26T00:00:00.000+08:00'), Buffer.from('old'));
      await f.store.put(record('2026-W45', '2026-11-02T00:00:00.000+08:00'), Buffer.from('x'));
      await f.store.put(record('2026-W44', '2026-10-26T00:00:00.000+08:00', { n: 2 }), pdf);
      const list = await f.store.list(10);
      assert.deepEqual(
        list.map((r) => r.id),
        ['competitors-2026-W45', 'competitors-2026-W44'],
      );
      assert.equal((list[0] as Record<string, unknown>).report, undefined);
      assert.equal(list[1]?.title, '竞品分析报告 2026-W44');
      assert.deepEqual((await f.store.get('competitors-2026-W44'))?.report, { n: 2 });
      assert.deepEqual(await f.store.pdf('competitors-2026-W44'), pdf);
      assert.deepEqual(await f.store.list(1).then((l) => l.length), 1);
      assert.equal(await f.store.get('nope'), undefined);
      assert.equal(await f.store.pdf('nope'), undefined);
    });
  });
}
