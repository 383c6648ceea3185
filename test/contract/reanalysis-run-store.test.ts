import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteReanalysisRunStore } from '../../src/storage/sqlite/sqlite-reanalysis-run-store.js';
import { describeReanalysisRunStoreContract } from './reanalysis-run-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-runs-contract-'));
let counter = 0;
after(() => rmSync(root, { recursive: true, force: true }));

describeReanalysisRunStoreContract('sqlite', async () => {
  const store = new SqliteReanalysisRunStore(path.join(root, String(++counter)));
  return { store, dispose: () => store.close() };
});
