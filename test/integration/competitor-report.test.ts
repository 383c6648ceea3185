/**
 * The competitor report on Elasticsearch (aggregations) against the real cluster that
 * `node scripts/with-services.js` provides: the store contract on hand-counted conversations, and the
 * same report from Elasticsearch and from SQLite on the same conversations.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStores } from '../../src/storage/create-stores.js';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client.js';
import { deleteByPrefix } from '../../src/storage/elasticsearch/index-admin.js';
import type { Stores } from '../../src/storage/types.js';
import { CompetitorReportService } from '../../src/reports/competitor-report-service.js';
import { loadReportVocabulary } from '../../src/reports/vocabulary.js';
import { DEFAULT_MODELS_DIR } from '../../src/pipeline/run-pipeline.js';
import { describeCompetitorStatsContract, FIXTURE, WEEK } from '../contract/competitor-stats.contract.js';
import { describeReportStoreContract } from '../contract/report-store.contract.js';

const prefix = `voc-test-${randomBytes(4).toString('hex')}-`;
let counter = 0;
const root = mkdtempSync(path.join(tmpdir(), 'voc-report-it-'));

function elasticsearchUrl(): string {
  const url = process.env.TEST_ELASTICSEARCH_URL;
  if (!url) throw new Error('TEST_ELASTICSEARCH_URL is not set: run through node scripts/with-services.js');
  return url;
}

const openEs = (): Promise<Stores> =>
  createStores({ kind: 'elasticsearch', url: elasticsearchUrl(), indexPrefix: `${prefix}${++counter}-` });

after(async () => {
  rmSync(root, { recursive: true, force: true });
  const admin = createElasticsearchClient(elasticsearchUrl());
  await deleteByPrefix(admin, prefix);
  await admin.close();
});

describeCompetitorStatsContract('elasticsearch', async () => {
  const stores = await openEs();
  return {
    conversations: stores.conversations,
    stats: stores.competitorStats,
    dispose: () => stores.close(),
  };
});

describeReportStoreContract('elasticsearch', async () => {
  const stores = await openEs();
  return { store: stores.reports, dispose: () => stores.close() };
});

describe('competitor report on Elasticsearch and SQLite', () => {
  it('is the same report on both stores', async () => {
    const es = await openEs();
    const sqlite = await createStores({ kind: 'sqlite', dataDir: path.join(root, 'same') });
    try {
      const vocabulary = () => loadReportVocabulary(DEFAULT_MODELS_DIR);
      const now = () => new Date('2026-11-09T00:00:00Z');
      const reports = [es, sqlite].map(
        (s) => new CompetitorReportService(s.competitorStats, s.conversations, vocabulary, now),
      );
      for (const s of [es, sqlite]) {
        await s.conversations.upsertMany(FIXTURE);
        await s.conversations.refresh();
      }
      const [a, b] = await Promise.all(reports.map((r) => r.build({ ...WEEK, interval: 'day' })));
      assert.deepEqual(a, b);
      assert.deepEqual(
        a?.competitors.map((c) => [c.id, c.mentions, c.customers, c.shareOfVoice, c.switching]),
        [
          ['cmb', 3, 2, 0.6, 1],
          ['icbc', 2, 2, 0.4, 1],
        ],
      );
      // out-before (2026-11-01) is in the previous week: icbc 1 -> 2
      assert.deepEqual(a?.competitors[1]?.change.previous, 1);
    } finally {
      await es.close();
      await sqlite.close();
    }
  });
});
