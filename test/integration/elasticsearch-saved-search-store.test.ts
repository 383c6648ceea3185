/** The SavedSearchStore and AuditLog contracts against the real Elasticsearch of the distributed mode. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createStores } from '../../src/storage/create-stores.js';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client.js';
import { deleteByPrefix } from '../../src/storage/elasticsearch/index-admin.js';
import {
  describeAuditLogContract,
  describeSavedSearchStoreContract,
} from '../contract/saved-search-store.contract.js';
import { testBackends } from '../helpers/test-service.js';

const filePrefix = `voc-test-${randomBytes(4).toString('hex')}-`;
let counter = 0;

const open = () =>
  createStores({
    kind: 'elasticsearch',
    url: testBackends().elasticsearchUrl,
    indexPrefix: `${filePrefix}${++counter}-`,
  });

after(async () => {
  const admin = createElasticsearchClient(testBackends().elasticsearchUrl);
  await deleteByPrefix(admin, filePrefix);
  await admin.close();
});

describeSavedSearchStoreContract('elasticsearch', async () => {
  const stores = await open();
  return { store: stores.savedSearches, dispose: () => stores.close() };
});

describeAuditLogContract('elasticsearch', async () => {
  const stores = await open();
  return { store: stores.audit, dispose: () => stores.close() };
});

describe('elasticsearch saved searches: an index made before sharing existed', () => {
  it('gets the shared field on open; its old search stays private until its owner shares it', async () => {
    const prefix = `${filePrefix}old-`;
    const alias = `${prefix}saved-searches`;
    const admin = createElasticsearchClient(testBackends().elasticsearchUrl);
    try {
      // The mapping of the index before issue 12: strict, no `shared`.
      await admin.indices.create({
        index: `${alias}-000001`,
        aliases: { [alias]: { is_write_index: true } },
        mappings: {
          dynamic: 'strict',
          properties: {
            id: { type: 'keyword' },
            owner: { type: 'keyword' },
            createdAt: { type: 'date' },
            record: { type: 'object', enabled: false },
          },
        },
      });
      await admin.index({
        index: alias,
        id: 'old',
        document: { id: 'old', owner: 'key-a', createdAt: Date.parse(record().createdAt), record: record() },
        refresh: true,
      });
    } finally {
      await admin.close();
    }
    const stores = await createStores({
      kind: 'elasticsearch',
      url: testBackends().elasticsearchUrl,
      indexPrefix: prefix,
    });
    try {
      const old = { ...record(), ownerName: '', shared: false };
      assert.deepEqual(await stores.savedSearches.get('old'), old);
      assert.deepEqual(await stores.savedSearches.listVisible('key-a'), [old]);
      assert.deepEqual(await stores.savedSearches.listVisible('key-b'), []);
      assert.equal(await stores.savedSearches.setShared('old', true), true);
      assert.deepEqual(await stores.savedSearches.listVisible('key-b'), [{ ...old, shared: true }]);
    } finally {
      await stores.close();
    }
  });
});

function record() {
  return {
    id: 'old',
    name: '旧的查询',
    query: { q: '年费' },
    owner: 'key-a',
    createdAt: '2026-11-01T10:00:00.000Z',
  };
}
