import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStores } from '../../src/storage/create-stores.js';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import type { Stores } from '../../src/storage/types.js';
import { describeApiKeyStoreContract } from './api-key-store.contract.js';
import { describeConversationStoreContract, processedConversation } from './conversation-store.contract.js';
import { describeCorrectionStoreContract } from './correction-store.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-sqlite-contract-'));
let counter = 0;

/** A fresh data directory per test, all under one temp dir removed after the file. */
async function open(): Promise<{ stores: Stores; dir: string }> {
  const dir = path.join(root, String(++counter));
  return { stores: await createStores({ kind: 'sqlite', dataDir: dir }), dir };
}

after(() => rmSync(root, { recursive: true, force: true }));

describeConversationStoreContract('sqlite', async () => {
  const { stores } = await open();
  return { store: stores.conversations, dispose: () => stores.close() };
});

describeApiKeyStoreContract('sqlite', async () => {
  const { stores } = await open();
  return { store: stores.keys, dispose: () => stores.close() };
});

describeCorrectionStoreContract('sqlite', async () => {
  const { stores } = await open();
  return { store: stores.corrections, dispose: () => stores.close() };
});

describe('sqlite store', () => {
  it('keeps data across reopen, in WAL mode, at the current schema version', async () => {
    const { stores, dir } = await open();
    await stores.conversations.upsertMany([processedConversation('s1', { tokens: [['大额存单']] })]);
    await stores.close();
    const again = await createStores({ kind: 'sqlite', dataDir: dir });
    const page = await again.conversations.search({ tokens: ['大额存单'], sort: 'relevance', limit: 5 });
    assert.deepEqual(
      page.hits.map((h) => h.id),
      ['s1'],
    );
    await again.close();
    const db = new Database(path.join(dir, 'voc.db'), { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    db.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const { stores, dir } = await open();
    await stores.close();
    const db = new Database(path.join(dir, 'voc.db'));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    await assert.rejects(createStores({ kind: 'sqlite', dataDir: dir }), /newer than this service knows/);
  });

  it('reports a closed store as unavailable', async () => {
    const { stores } = await open();
    await stores.close();
    await assert.rejects(stores.conversations.ping(), StoreUnavailableError);
  });

  it('removes replaced terms from the full-text index', async () => {
    const { stores, dir } = await open();
    await stores.conversations.upsertMany([processedConversation('r1', { tokens: [['旧词']] })]);
    await stores.conversations.upsertMany([processedConversation('r1', { tokens: [['新词']] })]);
    await stores.close();
    const db = new Database(path.join(dir, 'voc.db'), { readonly: true });
    const rows = db
      .prepare("SELECT rowid FROM conversation_terms WHERE conversation_terms MATCH '旧词'")
      .all();
    assert.deepEqual(rows, []);
    db.close();
  });
});
