import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStores } from '../../src/storage/create-stores.js';
import { createMemoryStores } from '../../src/storage/memory/memory-stores.js';
import { describeReportStoreContract } from './report-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-report-store-'));
let n = 0;
after(() => rmSync(root, { recursive: true, force: true }));

describeReportStoreContract('memory', async () => {
  const stores = createMemoryStores();
  return { store: stores.reports, dispose: () => stores.close() };
});

describeReportStoreContract('sqlite', async () => {
  const stores = await createStores({ kind: 'sqlite', dataDir: path.join(root, String(++n)) });
  return { store: stores.reports, dispose: () => stores.close() };
});
