/**
 * Monthly conversation indices on the real cluster that `node scripts/with-services.js` provides
 * (TEST_ELASTICSEARCH_URL): routing by the Asia/Shanghai month of the start, a conversation moving
 * between months, search across months, migration from the single index, and a rebuild month by month.
 * Every index and template created here starts with a random prefix and is deleted after the file.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { ProcessedConversation } from '../../src/domain/processed-conversation.js';
import { createStores } from '../../src/storage/create-stores.js';
import { createElasticsearchClient } from '../../src/storage/elasticsearch/client.js';
import { monthOf, toSource } from '../../src/storage/elasticsearch/es-conversation-store.js';
import { aliasTargets, deleteByPrefix } from '../../src/storage/elasticsearch/index-admin.js';
import { firstIndexName, indexNames } from '../../src/storage/elasticsearch/mappings.js';
import type { Stores } from '../../src/storage/types.js';
import { processedConversation } from '../contract/conversation-store.contract.js';

const filePrefix = `voc-test-${randomBytes(4).toString('hex')}-`;
let counter = 0;

function elasticsearchUrl(): string {
  const url = process.env.TEST_ELASTICSEARCH_URL;
  if (url === undefined || url === '') {
    throw new Error(
      'TEST_ELASTICSEARCH_URL is not set. Run through the harness:\n' +
        '  node scripts/with-services.js npx mocha --config test/.mocharc.integration.cjs test/integration/elasticsearch-monthly-indices.test.ts',
    );
  }
  return url;
}

function withSeq(doc: ProcessedConversation, uploadSeq: number): ProcessedConversation {
  return { ...doc, uploadSeq };
}

describe('Elasticsearch monthly conversation indices', function () {
  let admin: Client;
  let stores: Stores;
  let alias: string;
  let prefix: string;

  /** Documents per concrete index behind the read alias, after a refresh. */
  async function perIndex(): Promise<Record<string, number>> {
    await stores.conversations.refresh();
    const counts: Record<string, number> = {};
    for (const index of (await aliasTargets(admin, alias)).sort()) {
      counts[index.slice(alias.length + 1)] = (await admin.count({ index })).count;
    }
    return counts;
  }

  async function searchIds(query: { from?: string; to?: string } = {}): Promise<string[]> {
    await stores.conversations.refresh();
    const page = await stores.conversations.search({ tokens: [], sort: 'time', limit: 100, ...query });
    return page.hits.map((h) => h.id);
  }

  before(async () => {
    admin = createElasticsearchClient(elasticsearchUrl());
    await admin.cluster.health({ wait_for_status: 'yellow', timeout: '30s' });
  });
  beforeEach(async () => {
    prefix = `${filePrefix}${++counter}-`;
    alias = indexNames(prefix).conversations;
    stores = await createStores({ kind: 'elasticsearch', url: elasticsearchUrl(), indexPrefix: prefix });
  });
  afterEach(async () => stores.close());
  after(async () => {
    if (admin === undefined) return;
    await deleteByPrefix(admin, filePrefix);
    await admin.close();
  });

  it('names the month of an instant in Asia/Shanghai', () => {
    assert.equal(monthOf(Date.parse('2026-10-31T15:59:59Z')), '2026.10');
    assert.equal(monthOf(Date.parse('2026-10-31T16:00:00Z')), '2026.11');
    assert.equal(monthOf(Date.parse('2026-12-31T16:00:00Z')), '2027.01');
    assert.equal(monthOf(0), '1970.01');
  });

  it('writes each conversation to the index of its month, all behind the read alias', async () => {
    await stores.conversations.upsertMany([
      processedConversation('oct', { startedAt: '2026-10-31T23:59:59+08:00' }),
      processedConversation('nov-utc', { startedAt: '2026-10-31T16:30:00Z' }), // 00:30 on 1 Nov in Shanghai
      processedConversation('nov', { startedAt: '2026-11-15T10:00:00+08:00' }),
      processedConversation('dec', { startedAt: '2026-12-01T00:00:00+08:00' }),
    ]);
    assert.deepEqual(await perIndex(), {
      '000001': 0, // the anchor: the single index of before, empty
      '2026.10-000001': 1,
      '2026.11-000001': 2,
      '2026.12-000001': 1,
    });
    assert.deepEqual(await aliasTargets(admin, `${alias}-2026.11`), [`${alias}-2026.11-000001`]);
    const mapping = await admin.indices.getMapping({ index: `${alias}-2026.11-000001` });
    assert.equal(Object.values(mapping)[0]?.mappings?.dynamic, 'strict', 'created from the template');
    assert.equal(await stores.conversations.count(), 4);
  });

  it('searches across months: one sort, one cursor, date filters spanning months', async () => {
    const docs = ['2026-09-10', '2026-10-05', '2026-10-20', '2026-11-02', '2026-12-24'].map((day, i) =>
      processedConversation(`s${i}`, { startedAt: `${day}T09:00:00+08:00`, tokens: [['年费']] }),
    );
    await stores.conversations.upsertMany(docs);
    assert.deepEqual(await searchIds(), ['s4', 's3', 's2', 's1', 's0']);
    assert.deepEqual(await searchIds({ from: '2026-10-15', to: '2026-11-30' }), ['s3', 's2']);
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const page = await stores.conversations.search({
        tokens: ['年费'],
        sort: 'relevance',
        limit: 2,
        ...(after !== undefined ? { after } : {}),
      });
      seen.push(...page.hits.map((h) => h.id));
      after = page.next;
    } while (after !== undefined);
    assert.deepEqual([...seen].sort(), ['s0', 's1', 's2', 's3', 's4'], 'every month, no duplicate');
    assert.deepEqual(
      (await stores.conversations.getMany(['s4', 'missing', 's0'])).map((d) => d?.conversation.id),
      ['s4', undefined, 's0'],
    );
  });

  it('moves a re-uploaded conversation whose start changed month, leaving no copy behind', async () => {
    await stores.conversations.upsertMany([
      processedConversation('m1', { startedAt: '2026-10-10T10:00:00+08:00' }),
    ]);
    // Not refreshed in between: the old copy is found in real time.
    await stores.conversations.upsertMany([
      processedConversation('m1', { startedAt: '2026-12-10T10:00:00+08:00' }),
    ]);
    assert.equal((await stores.conversations.get('m1'))?.conversation.startedAt, '2026-12-10T10:00:00+08:00');
    assert.deepEqual(await perIndex(), { '000001': 0, '2026.10-000001': 0, '2026.12-000001': 1 });
    assert.deepEqual(await searchIds(), ['m1']);
  });

  it('keeps the upload sent last when an older upload of another month is written after it', async () => {
    await stores.conversations.upsertMany([
      withSeq(processedConversation('q1', { startedAt: '2026-12-01T10:00:00+08:00' }), 5),
    ]);
    // The older upload (sequence 4, October) reaches the store last.
    await stores.conversations.upsertMany([
      withSeq(processedConversation('q1', { startedAt: '2026-10-01T10:00:00+08:00' }), 4),
    ]);
    assert.equal((await stores.conversations.get('q1'))?.conversation.startedAt, '2026-12-01T10:00:00+08:00');
    assert.deepEqual(await perIndex(), { '000001': 0, '2026.10-000001': 0, '2026.12-000001': 1 });
    // And a newer one moves it back.
    await stores.conversations.upsertMany([
      withSeq(processedConversation('q1', { startedAt: '2026-10-02T10:00:00+08:00' }), 6),
    ]);
    assert.deepEqual(await perIndex(), { '000001': 0, '2026.10-000001': 1, '2026.12-000001': 0 });
    assert.equal(await stores.conversations.count(), 1);
  });

  it('moves the conversations of the single index of before into their months at startup', async () => {
    await stores.close();
    const legacy = firstIndexName(alias);
    const docs = [
      withSeq(processedConversation('l1', { startedAt: '2026-09-01T10:00:00+08:00', tokens: [['理财']] }), 3),
      processedConversation('l2', { startedAt: '2026-11-01T10:00:00+08:00', tokens: [['理财']] }),
    ];
    await admin.bulk({
      refresh: true,
      operations: docs.flatMap((doc) => [
        { index: { _index: legacy, _id: doc.conversation.id } },
        toSource(doc),
      ]),
    });
    stores = await createStores({ kind: 'elasticsearch', url: elasticsearchUrl(), indexPrefix: prefix });
    assert.deepEqual(await perIndex(), { '000001': 0, '2026.09-000001': 1, '2026.11-000001': 1 });
    assert.deepEqual(await searchIds(), ['l2', 'l1']);
    assert.deepEqual(await stores.conversations.get('l1'), docs[0]);
  });

  it('rebuilds month by month into new generations and swaps every alias at once', async () => {
    await stores.conversations.upsertMany([
      withSeq(processedConversation('r1', { startedAt: '2026-10-01T10:00:00+08:00' }), 7),
      processedConversation('r2', { startedAt: '2026-11-01T10:00:00+08:00' }),
      processedConversation('r3', { startedAt: '2026-11-02T10:00:00+08:00' }),
    ]);
    const batches: string[][] = [];
    await stores.conversations.rebuild(async (docs) => {
      batches.push(docs.map((d) => d.conversation.id));
      return docs.map((d) => ({ ...d, versions: { ...d.versions, taxonomy: 't2' } }));
    });
    assert.deepEqual(batches, [['r1'], ['r2', 'r3']], 'one month after the other');
    assert.deepEqual(await perIndex(), { '000001': 0, '2026.10-000002': 1, '2026.11-000002': 2 });
    assert.deepEqual(await aliasTargets(admin, `${alias}-2026.11`), [`${alias}-2026.11-000002`]);
    assert.equal(await admin.indices.exists({ index: `${alias}-2026.11-000001` }), false);
    assert.equal((await stores.conversations.get('r1'))?.versions.taxonomy, 't2');
    // Writes after the swap reach the new generation through the month's write alias.
    await stores.conversations.upsertMany([
      processedConversation('r4', { startedAt: '2026-11-03T10:00:00+08:00' }),
    ]);
    assert.deepEqual(await perIndex(), { '000001': 0, '2026.10-000002': 1, '2026.11-000002': 3 });
    // The upload sequence survives: an older upload is still refused.
    await stores.conversations.upsertMany([
      withSeq(processedConversation('r1', { startedAt: '2026-10-01T10:00:00+08:00', tokens: [['旧']] }), 6),
    ]);
    assert.deepEqual((await stores.conversations.get('r1'))?.tokens, [['你好']]);
  });
});
