/**
 * Time to build the competitor report of one week (2026-W30 of the demo calendar) on the embedded
 * store and on Elasticsearch, and to print its PDF. Demo conversations analysed by the rules.
 *   node scripts/with-services.js npx tsx pipelines/bench-report.ts 20000
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProcessedConversation } from '../src/domain/processed-conversation.js';
import { createPipeline, DEFAULT_MODELS_DIR } from '../src/pipeline/run-pipeline.js';
import { CompetitorReportService, type CompetitorReport } from '../src/reports/competitor-report-service.js';
import { isoWeekPeriod } from '../src/reports/period.js';
import { renderReportPdf } from '../src/reports/pdf-renderer.js';
import { loadReportVocabulary } from '../src/reports/vocabulary.js';
import { createStores } from '../src/storage/create-stores.js';
import { createElasticsearchClient } from '../src/storage/elasticsearch/client.js';
import { deleteByPrefix } from '../src/storage/elasticsearch/index-admin.js';
import { generateConversations } from './demo-data/generate.js';

const count = Number(process.argv[2] ?? 20000);
const esUrl = process.env.TEST_ELASTICSEARCH_URL;
const pipeline = createPipeline();
const docs: ProcessedConversation[] = [];
for (const c of generateConversations({ count, seed: 42 })) {
  const r = pipeline.process(c);
  docs.push({
    conversation: c,
    tokens: r.tokens,
    analysis: r.analysis,
    versions: pipeline.versions,
    processedAt: new Date().toISOString(),
  });
}
const dir = mkdtempSync(path.join(tmpdir(), 'voc-bench-report-'));
const prefix = `voc-bench-report-${process.pid}-`;
try {
  for (const kind of esUrl ? (['sqlite', 'elasticsearch'] as const) : (['sqlite'] as const)) {
    const stores =
      kind === 'sqlite'
        ? await createStores({ kind, dataDir: dir })
        : await createStores({ kind, url: esUrl ?? '', indexPrefix: prefix });
    for (let i = 0; i < docs.length; i += 1000)
      await stores.conversations.upsertMany(docs.slice(i, i + 1000));
    await stores.conversations.refresh();
    const service = new CompetitorReportService(stores.competitorStats, stores.conversations, () =>
      loadReportVocabulary(DEFAULT_MODELS_DIR),
    );
    const times: number[] = [];
    let report: CompetitorReport | undefined;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      report = await service.build({ ...isoWeekPeriod('2026-W30'), interval: 'week' });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(
      `${kind}: ${count} conversations, ${report?.period.conversations} in the week; report median ${Math.round(times[2] ?? 0)} ms (min ${Math.round(times[0] ?? 0)})\n`,
    );
    if (kind === 'sqlite' && report) {
      const t = performance.now();
      const pdf = await renderReportPdf(report);
      process.stdout.write(`PDF: ${Math.round(performance.now() - t)} ms, ${pdf.length} bytes\n`);
    }
    await stores.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (esUrl) {
    const admin = createElasticsearchClient(esUrl);
    await deleteByPrefix(admin, prefix);
    await admin.close();
  }
}
