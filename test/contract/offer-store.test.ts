import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteOfferStore } from '../../src/storage/sqlite/sqlite-offer-store.js';
import { describeOfferStoreContract } from './offer-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-offer-contract-'));
let counter = 0;
after(() => rmSync(root, { recursive: true, force: true }));

describeOfferStoreContract('sqlite', async () => {
  const store = new SqliteOfferStore(path.join(root, String(++counter)));
  return { store, dispose: () => store.close() };
});
