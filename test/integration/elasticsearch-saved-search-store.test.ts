/** The SavedSearchStore and AuditLog contracts against the real Elasticsearch of the distributed mode. */
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
