import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStores } from '../../src/storage/create-stores.js';
import { createMemoryStores } from '../../src/storage/memory/memory-stores.js';
import { describeCompetitorStatsContract } from './competitor-stats.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-competitor-stats-'));
after(() => rmSync(root, { recursive: true, force: true }));

describeCompetitorStatsContract('memory', async () => {
  const stores = createMemoryStores();
  return {
    conversations: stores.conversations,
    stats: stores.competitorStats,
    dispose: () => stores.close(),
  };
});

describeCompetitorStatsContract('sqlite', async () => {
  const stores = await createStores({ kind: 'sqlite', dataDir: path.join(root, 'sqlite') });
  return {
    conversations: stores.conversations,
    stats: stores.competitorStats,
    dispose: () => stores.close(),
  };
});
