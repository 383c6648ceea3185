import assert from 'node:assert/strict';
import { DEFAULT_MODELS_DIR } from '../../../src/pipeline/run-pipeline.js';
import { createCompetitorReportProcessor } from '../../../src/queue/processors/competitor-report-processor.js';
import type { RunningJob } from '../../../src/queue/types.js';
import {
  CompetitorReportService,
  type CompetitorReport,
} from '../../../src/reports/competitor-report-service.js';
import { ReportFacade } from '../../../src/reports/report-facade.js';
import { loadReportVocabulary } from '../../../src/reports/vocabulary.js';
import { ValidationError, NotFoundError } from '../../../src/errors.js';
import { createMemoryStores } from '../../../src/storage/memory/memory-stores.js';
import { FIXTURE } from '../../contract/competitor-stats.contract.js';
import { memoryLogger } from '../../helpers/silent-logger.js';

/** Monday 2026-11-09 08:00 in Shanghai: the weekly run reports on week 45. */
const NOW = new Date('2026-11-09T00:00:00Z');

async function facade() {
  const stores = createMemoryStores();
  await stores.conversations.upsertMany(FIXTURE);
  const printed: CompetitorReport[] = [];
  const competitors = new CompetitorReportService(
    stores.competitorStats,
    stores.conversations,
    () => loadReportVocabulary(DEFAULT_MODELS_DIR),
    () => NOW,
  );
  const reports = new ReportFacade(
    competitors,
    stores.reports,
    () => NOW,
    async (r) => {
      printed.push(r);
      return Buffer.from(`%PDF ${r.period.from}`);
    },
  );
  return { reports, printed };
}

describe('weekly competitor report', () => {
  it('reports on the week that just ended, stores it with its PDF and lists it', async () => {
    const { reports, printed } = await facade();
    const { summary } = await reports.generateWeeklyReport();
    assert.deepEqual(summary, {
      id: 'competitors-2026-W45',
      kind: 'competitors',
      title: '竞品分析报告 2026-W45',
      week: '2026-W45',
      from: '2026-11-02T00:00:00.000+08:00',
      to: '2026-11-08T23:59:59.999+08:00',
      createdAt: NOW.toISOString(),
    });
    assert.equal(printed[0]?.period.interval, 'week');
    assert.deepEqual(
      printed[0]?.competitors.map((c) => [c.id, c.mentions]),
      [
        ['cmb', 3],
        ['icbc', 2],
      ],
    );
    assert.deepEqual(await reports.list(10), [summary]);
    assert.equal(String(await reports.stored(summary.id, 'pdf')), '%PDF 2026-11-02T00:00:00.000+08:00');
    assert.match(String(await reports.stored(summary.id, 'csv')), /^\uFEFF竞品,.*\r\n招商银行,cmb,3,2,/s);
    await assert.rejects(reports.stored('competitors-2020-W01', 'pdf'), NotFoundError);
  });

  it('makes any past week on demand the same way, and refuses weeks not begun', async () => {
    const { reports } = await facade();
    const { summary } = await reports.generateWeeklyReport('2026-W44');
    assert.equal(summary.from, '2026-10-26T00:00:00.000+08:00');
    await assert.rejects(reports.generateWeeklyReport('2026-W47'), ValidationError);
  });

  it('is what the competitor-report job runs', async () => {
    const { reports } = await facade();
    const run = createCompetitorReportProcessor(reports, memoryLogger('info').logger);
    const job = {
      id: 'j',
      name: 'competitor-report',
      data: { week: '2026-W45' },
    } as RunningJob<'competitor-report'>;
    assert.deepEqual(await run(job), { id: 'competitors-2026-W45' });
    assert.equal((await reports.list(5)).length, 1);
  });
});
