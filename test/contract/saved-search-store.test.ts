import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createStores } from '../../src/storage/create-stores.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
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

describe('sqlite saved searches: migration to sharing (schema 5)', () => {
  it('keeps a search saved before sharing existed, private to its owner, and lets its owner share it', async () => {
    const dir = path.join(root, 'before-sharing');
    mkdirSync(dir, { recursive: true });
    const db = new Database(path.join(dir, 'voc.db'));
    for (const migration of MIGRATIONS.slice(0, 4)) db.exec(migration);
    db.pragma('user_version = 4');
    db.prepare(
      'INSERT INTO saved_searches (id, name, owner, query, created_at, created_at_ms) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
      'old',
      '旧的查询',
      'key-a',
      '{"q":"年费"}',
      '2026-11-01T10:00:00.000Z',
      Date.parse('2026-11-01T10:00:00Z'),
    );
    db.close();

    const stores = await createStores({ kind: 'sqlite', dataDir: dir });
    try {
      const old = {
        id: 'old',
        name: '旧的查询',
        owner: 'key-a',
        ownerName: '',
        shared: false,
        query: { q: '年费' },
        createdAt: '2026-11-01T10:00:00.000Z',
      };
      assert.deepEqual(await stores.savedSearches.listVisible('key-a'), [old]);
      assert.deepEqual(await stores.savedSearches.listVisible('key-b'), []);
      assert.equal(await stores.savedSearches.setShared('old', true), true);
      assert.deepEqual(await stores.savedSearches.listVisible('key-b'), [{ ...old, shared: true }]);
    } finally {
      await stores.close();
    }
  });
});
