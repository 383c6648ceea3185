/**
 * The SQLite key store keeps the keys it looked up (every authenticated request looks one up), and
 * a revocation made through another connection to the same file (`voc keys revoke` in another
 * process while the server runs) takes effect at the next lookup.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../../src/storage/sqlite/database.js';
import { SqliteApiKeyStore } from '../../../src/storage/sqlite/sqlite-api-key-store.js';
import type { ApiKeyRecord } from '../../../src/storage/types.js';

describe('SqliteApiKeyStore lookups kept between requests', () => {
  let dir: string;
  let server: SqliteDatabase;
  let cli: SqliteDatabase;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'voc-key-cache-'));
    server = openDatabase(dir);
    cli = openDatabase(dir);
  });
  afterEach(() => {
    server.close();
    cli.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const record: ApiKeyRecord = {
    id: 'k1',
    name: 'crm',
    role: 'crm',
    hash: 'a'.repeat(64),
    createdAt: '2026-11-01T10:00:00.000Z',
  };

  it('sees a revocation made through another connection at the next lookup', async () => {
    const served = new SqliteApiKeyStore(server);
    await new SqliteApiKeyStore(cli).insert(record);
    assert.equal((await served.findByHash(record.hash))?.revokedAt, undefined);
    assert.equal((await served.findByHash(record.hash))?.revokedAt, undefined); // from memory
    assert.equal(await new SqliteApiKeyStore(cli).revoke('k1', '2026-11-02T00:00:00.000Z'), true);
    assert.equal((await served.findByHash(record.hash))?.revokedAt, '2026-11-02T00:00:00.000Z');
  });

  it('sees its own revocation and a key inserted after an unknown lookup', async () => {
    const store = new SqliteApiKeyStore(server);
    assert.equal(await store.findByHash(record.hash), undefined);
    await store.insert(record);
    assert.equal((await store.findByHash(record.hash))?.id, 'k1');
    await store.revoke('k1', '2026-11-02T00:00:00.000Z');
    assert.equal((await store.findByHash(record.hash))?.revokedAt, '2026-11-02T00:00:00.000Z');
  });
});
