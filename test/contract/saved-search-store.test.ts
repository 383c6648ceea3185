import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStores } from '../../src/storage/create-stores.js';
import { createMemoryStores } from '../../src/storage/memory/memory-stores.js';
import { describeAuditLogContract, describeSavedSearchStoreContract } from './saved-search-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-saved-contract-'));
let counter = 0;
after(() => rmSync(root, { recursive: true, force: true }));

const sqlite = () => createStores({ kind: 'sqlite', dataDir: path.join(root, String(++counter)) });

describeSavedSearchStoreContract('sqlite', async () => {
  const stores = await sqlite();
  return { store: stores.savedSearches, dispose: () => stores.close() };
});

describeAuditLogContract('sqlite', async () => {
  const stores = await sqlite();
  return { store: stores.audit, dispose: () => stores.close() };
});

describeSavedSearchStoreContract('memory', async () => {
  const stores = createMemoryStores();
  return { store: stores.savedSearches, dispose: () => stores.close() };
});

describeAuditLogContract('memory', async () => {
  const stores = createMemoryStores();
  return { store: stores.audit, dispose: () => stores.close() };
});
