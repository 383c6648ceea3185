/** The behaviour every ApiKeyStore must have (memory, SQLite, Elasticsearch). */
import assert from 'node:assert/strict';
import { DuplicateRecordError } from '../../src/storage/errors.js';
import type { ApiKeyRecord, ApiKeyStore } from '../../src/storage/types.js';
import type { StoreFixture } from './conversation-store.contract.js';

function key(id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id,
    name: `key ${id}`,
    role: 'analyst',
    hash: `${id}`.padEnd(64, '0'),
    createdAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export function describeApiKeyStoreContract(
  name: string,
  factory: () => Promise<StoreFixture<ApiKeyStore>>,
): void {
  describe(`ApiKeyStore contract: ${name}`, function () {
    let fixture: StoreFixture<ApiKeyStore>;
    let store: ApiKeyStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('finds an inserted key by hash at once, and nothing for an unknown hash', async () => {
      const record = key('k1', { role: 'ingest', name: '夜间导入' });
      await store.insert(record);
      assert.deepEqual(await store.findByHash(record.hash), record);
      assert.equal(await store.findByHash('f'.repeat(64)), undefined);
    });

    it('lists keys oldest first, then by id', async () => {
      await store.insert(key('k3', { createdAt: '2026-11-02T00:00:00.000Z' }));
      await store.insert(key('k2', { createdAt: '2026-11-01T00:00:00.000Z' }));
      await store.insert(key('k1', { createdAt: '2026-11-02T00:00:00.000Z' }));
      assert.deepEqual(
        (await store.list()).map((k) => k.id),
        ['k2', 'k1', 'k3'],
      );
    });

    it('rejects a second key with the same id or the same hash', async () => {
      await store.insert(key('k1'));
      await assert.rejects(store.insert(key('k1', { hash: 'a'.repeat(64) })), DuplicateRecordError);
      await assert.rejects(store.insert(key('k2', { hash: key('k1').hash })), DuplicateRecordError);
      assert.equal((await store.list()).length, 1);
    });

    it('revokes by id, keeps the first revocation time, and reports unknown ids', async () => {
      await store.insert(key('k1'));
      assert.equal(await store.revoke('k1', '2026-11-03T00:00:00.000Z'), true);
      assert.equal(await store.revoke('k1', '2026-11-04T00:00:00.000Z'), true);
      assert.equal(await store.revoke('nope', '2026-11-04T00:00:00.000Z'), false);
      const found = await store.findByHash(key('k1').hash);
      assert.equal(found?.revokedAt, '2026-11-03T00:00:00.000Z');
      assert.equal((await store.list())[0]?.revokedAt, '2026-11-03T00:00:00.000Z');
    });
  });
}
