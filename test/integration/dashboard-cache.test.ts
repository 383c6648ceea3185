/**
 * The dashboard query (no text, facets and histogram) is answered from Elasticsearch's shard
 * request cache, and an ingest invalidates it: the next dashboard after a write and refresh counts
 * the new conversation. Real Elasticsearch; the cache is observed through its own statistics.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createStores } from '../../src/storage/create-stores.js';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client.js';
import { deleteByPrefix } from '../../src/storage/elasticsearch/index-admin.js';
import type { ConversationQuery, Stores } from '../../src/storage/types.js';
import { processedConversation } from '../contract/conversation-store.contract.js';
import { testBackends } from '../helpers/test-service.js';

const prefix = `voc-test-${randomBytes(4).toString('hex')}-`;
const DASHBOARD: ConversationQuery = { tokens: [], sort: 'time', limit: 20, facets: true, histogram: 'day' };

describe('dashboard answers from the Elasticsearch request cache (distributed)', function () {
  this.timeout(120_000);
  let stores: Stores;
  const admin = createElasticsearchClient(testBackends().elasticsearchUrl);
  const alias = `${prefix}conversations`;
  const cacheStats = async (): Promise<{ hits: number; misses: number }> => {
    const stats = await admin.indices.stats({ index: alias, metric: 'request_cache' });
    const cache = stats._all.total?.request_cache;
    return { hits: cache?.hit_count ?? 0, misses: cache?.miss_count ?? 0 };
  };

  before(async () => {
    stores = await createStores({
      kind: 'elasticsearch',
      url: testBackends().elasticsearchUrl,
      indexPrefix: prefix,
    });
    await stores.conversations.upsertMany([
      processedConversation('d1', { channel: 'call', startedAt: '2026-11-01T10:00:00+08:00' }),
      processedConversation('d2', { channel: 'chat', startedAt: '2026-11-02T10:00:00+08:00' }),
      processedConversation('d3', {
        channel: 'call',
        startedAt: '2026-11-02T11:00:00+08:00',
        tokens: [['年费']],
      }),
    ]);
    await stores.conversations.refresh();
  });
  after(async () => {
    await stores?.close();
    await deleteByPrefix(admin, prefix);
    await admin.close();
  });

  it('answers a repeated dashboard from the cache, and the same answer', async () => {
    const first = await stores.conversations.search(DASHBOARD);
    const before = await cacheStats();
    const second = await stores.conversations.search(DASHBOARD);
    const after = await cacheStats();
    assert.ok(after.hits > before.hits, `cache hits ${before.hits} -> ${after.hits}`);
    assert.deepEqual(second, first);
    assert.equal(first.total, 3);
    assert.deepEqual(first.histogram, [
      { key: '2026-11-01', count: 1 },
      { key: '2026-11-02', count: 2 },
    ]);
  });

  it('does not cache text searches', async () => {
    const text: ConversationQuery = {
      tokens: [],
      text: { kind: 'phrase', tokens: ['年', '费'] },
      sort: 'relevance',
      limit: 20,
      facets: true,
    };
    assert.equal((await stores.conversations.search(text)).total, 1);
    const before = await cacheStats();
    assert.equal((await stores.conversations.search(text)).total, 1);
    assert.deepEqual(await cacheStats(), before);
  });

  it('counts a newly ingested conversation in the next dashboard after the refresh', async () => {
    assert.equal((await stores.conversations.search(DASHBOARD)).total, 3);
    await stores.conversations.upsertMany([
      processedConversation('d4', { channel: 'chat', startedAt: '2026-11-03T10:00:00+08:00' }),
    ]);
    await stores.conversations.refresh();
    const page = await stores.conversations.search(DASHBOARD);
    assert.equal(page.total, 4);
    assert.deepEqual(page.facets?.channel, [
      { value: 'call', count: 2 },
      { value: 'chat', count: 2 },
    ]);
    assert.equal(page.histogram?.at(-1)?.key, '2026-11-03');
    assert.equal(page.hits[0]?.id, 'd4');
  });
});
