import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteWebhookStore } from '../../src/storage/sqlite/sqlite-webhook-store.js';
import { describeWebhookStoreContract } from './webhook-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-webhook-store-'));
let n = 0;
after(() => rmSync(root, { recursive: true, force: true }));

describeWebhookStoreContract('sqlite', async () => {
  const store = new SqliteWebhookStore(path.join(root, String(++n)));
  return { store, dispose: () => store.close() };
});
