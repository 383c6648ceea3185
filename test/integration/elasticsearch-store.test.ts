/**
 * The Elasticsearch stores against the real cluster that `node scripts/with-services.js` provides
 * (TEST_ELASTICSEARCH_URL). Every index and template created here starts with a random prefix and
 * is deleted after the file.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Client } from '@elastic/elasticsearch';
import { createStores } from '../../src/storage/create-stores.js';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client.js';
import { ElasticsearchConversationStore } from '../../src/storage/elasticsearch/es-conversation-store.js';
import {
  aliasTargets,
  createIndexAndSwapAlias,
  deleteByPrefix,
} from '../../src/storage/elasticsearch/index-admin.js';
import { firstIndexName, indexNames, nextIndexName } from '../../src/storage/elasticsearch/mappings.js';
import { StoreUnavailableError, StoreWriteError } from '../../src/storage/errors.js';
import type { Stores } from '../../src/storage/types.js';
import { describeApiKeyStoreContract } from '../contract/api-key-store.contract.js';
import {
  describeConversationStoreContract,
  processedConversation,
} from '../contract/conversation-store.contract.js';
import { describeCorrectionStoreContract } from '../contract/correction-store.contract.js';

const filePrefix = `voc-test-${randomBytes(4).toString('hex')}-`;
let counter = 0;

function elasticsearchUrl(): string {
  const url = process.env.TEST_ELASTICSEARCH_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'TEST_ELASTICSEARCH_URL is not set. Run through the harness, which finds or starts Elasticsearch:\n' +
        '  node scripts/with-services.js npx mocha --config test/.mocharc.integration.cjs test/integration/elasticsearch-store.test.ts',
    );
  }
  return url;
}

/** Stores on fresh indices: a new prefix per call, under the file's prefix. */
async function openStores(): Promise<{ stores: Stores; prefix: string }> {
  const prefix = `${filePrefix}${++counter}-`;
  return {
    stores: await createStores({ kind: 'elasticsearch', url: elasticsearchUrl(), indexPrefix: prefix }),
    prefix,
  };
}

describe('Elasticsearch stores', function () {
  let admin: Client;

  before(async () => {
    admin = createElasticsearchClient(elasticsearchUrl());
    await admin.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
  });
  after(async () => {
    if (admin === undefined) return;
    await deleteByPrefix(admin, filePrefix);
    await admin.close();
  });

  describeConversationStoreContract('elasticsearch', async () => {
    const { stores } = await openStores();
    return { store: stores.conversations, dispose: () => stores.close() };
  });

  describeApiKeyStoreContract('elasticsearch', async () => {
    const { stores } = await openStores();
    return { store: stores.keys, dispose: () => stores.close() };
  });

  describeCorrectionStoreContract('elasticsearch', async () => {
    const { stores } = await openStores();
    return { store: stores.corrections, dispose: () => stores.close() };
  });

  describe('indices', () => {
    it('are created idempotently behind write aliases with strict mappings', async () => {
      const { stores, prefix } = await openStores();
      await stores.close();
      const again = await createStores({
        kind: 'elasticsearch',
        url: elasticsearchUrl(),
        indexPrefix: prefix,
      });
      await again.close();
      const names = indexNames(prefix);
      for (const alias of [names.conversations, names.apiKeys]) {
        assert.deepEqual(await aliasTargets(admin, alias), [firstIndexName(alias)]);
      }
      const mapping = await admin.indices.getMapping({ index: names.conversations });
      const conversationsMapping = Object.values(mapping)[0]?.mappings;
      assert.equal(conversationsMapping?.dynamic, 'strict');
      assert.deepEqual(conversationsMapping?.properties?.terms, { type: 'text', analyzer: 'whitespace' });
      await assert.rejects(
        admin.index({ index: names.conversations, document: { surprise: true } }),
        /strict_dynamic_mapping_exception/,
      );
    });

    it('numbers the next index after the highest existing one', () => {
      assert.equal(nextIndexName('x-conversations', []), 'x-conversations-000001');
      assert.equal(
        nextIndexName('x-conversations', ['x-conversations-000001', 'x-conversations-000009']),
        'x-conversations-000010',
      );
    });

    it('swaps an alias onto a new index atomically, keeping or deleting the old one', async () => {
      const { stores, prefix } = await openStores();
      const alias = indexNames(prefix).apiKeys;
      await stores.keys.insert({
        id: 'k-old',
        name: 'before',
        role: 'analyst',
        hash: 'h-old',
        createdAt: '2026-11-01T00:00:00Z',
      });
      const next = nextIndexName(alias, await aliasTargets(admin, alias));
      assert.equal(next, `${alias}-000002`);
      const previous = await createIndexAndSwapAlias(admin, {
        alias,
        index: next,
        // The new index gets a different document, so the swap is observable.
        populate: async (index) => {
          await admin.index({
            index,
            id: 'k-new',
            document: { id: 'k-new', name: 'after', role: 'analyst', hash: 'h-new' },
          });
        },
      });
      assert.deepEqual(previous, [firstIndexName(alias)]);
      assert.deepEqual(await aliasTargets(admin, alias), [next]);
      assert.equal((await admin.count({ index: alias })).count, 1);
      assert.equal(
        (await admin.count({ index: firstIndexName(alias) })).count,
        1,
        'old index kept for rollback',
      );
      await createIndexAndSwapAlias(admin, { alias, index: nextIndexName(alias, [next]), deleteOld: true });
      assert.equal(await admin.indices.exists({ index: next }), false);
      await stores.close();
    });
  });

  describe('errors', () => {
    it('names every document a bulk write rejected for good', async () => {
      const { stores, prefix } = await openStores();
      await stores.conversations.upsertMany([processedConversation('w0')]); // creates the month's index
      const index = `${indexNames(prefix).conversations}-2026.11-000001`;
      await admin.indices.putSettings({ index, settings: { 'index.blocks.write': true } });
      try {
        await assert.rejects(
          stores.conversations.upsertMany([processedConversation('w1'), processedConversation('w2')]),
          (error: unknown) => {
            assert.ok(error instanceof StoreWriteError, String(error));
            assert.deepEqual(error.failedIds.sort(), ['w1', 'w2']);
            assert.match(error.message, /w1 \(403: cluster_block_exception/);
            return true;
          },
        );
      } finally {
        await admin.indices.putSettings({ index, settings: { 'index.blocks.write': null } });
        await stores.close();
      }
    });

    it('reports a throttled (429) bulk write as retryable, naming the documents', async () => {
      const { stores, prefix } = await openStores();
      await stores.conversations.upsertMany([processedConversation('t1')]); // creates the month's index
      const index = `${indexNames(prefix).conversations}-2026.11-000001`;
      await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': true } });
      try {
        await assert.rejects(
          stores.conversations.upsertMany([processedConversation('t1')]),
          (error: unknown) => {
            assert.ok(error instanceof StoreUnavailableError, String(error));
            assert.deepEqual(error.failedIds, ['t1']);
            assert.equal(error.retryable, true);
            return true;
          },
        );
      } finally {
        await admin.indices.putSettings({ index, settings: { 'index.blocks.read_only_allow_delete': null } });
      }
      await stores.conversations.upsertMany([processedConversation('t1')]);
      await stores.conversations.refresh();
      assert.equal(await stores.conversations.count(), 1, 'the retry succeeds once the block is lifted');
      await stores.close();
    });

    it('throws StoreUnavailableError when the cluster cannot be reached', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      await assert.rejects(
        createStores({ kind: 'elasticsearch', url, indexPrefix: filePrefix }),
        StoreUnavailableError,
      );
      const store = new ElasticsearchConversationStore(createElasticsearchClient(url), 'nothing');
      await assert.rejects(store.ping(), StoreUnavailableError);
      await assert.rejects(store.search({ tokens: [], sort: 'time', limit: 1 }), StoreUnavailableError);
      await assert.rejects(store.upsertMany([processedConversation('u1')]), StoreUnavailableError);
      await store.close();
    });
  });

  it('writes large batches in several bulk requests', async () => {
    const { stores } = await openStores();
    const docs = Array.from({ length: 1234 }, (_, i) =>
      processedConversation(`bulk-${i}`, { tokens: [['批量', `词${i}`]] }),
    );
    await stores.conversations.upsertMany(docs);
    await stores.conversations.refresh();
    assert.equal(await stores.conversations.count(), 1234);
    const page = await stores.conversations.search({
      tokens: ['批量', '词1233'],
      sort: 'relevance',
      limit: 5,
    });
    assert.deepEqual(
      page.hits.map((h) => h.id),
      ['bulk-1233'],
    );
    await stores.close();
  });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
