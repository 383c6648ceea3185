import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteProfileStore } from '../../src/storage/sqlite/sqlite-profile-store.js';
import { describeProfileStoreContract } from './profile-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-profile-contract-'));
let counter = 0;
after(() => rmSync(root, { recursive: true, force: true }));

describeProfileStoreContract('sqlite', async () => {
  const store = new SqliteProfileStore(path.join(root, String(++counter)));
  return { store, dispose: () => store.close() };
});
