/**
 * `npm run bench:search [-- --count N --runs R]`: indexes N generated conversations (default 50,000)
 * into real Elasticsearch, then runs a fixed set of analyst queries (full text + filters + facets +
 * histogram) R times each (default 50) and prints p50/p95/p99 latency and indexing throughput.
 * Run through scripts/with-services.js, which provides TEST_ELASTICSEARCH_URL.
 */
import { createElasticsearchClient } from '../src/storage/elasticsearch/client.js';
import { deleteByPrefix } from '../src/storage/elasticsearch/index-admin.js';
import { createStores } from '../src/storage/create-stores.js';
import type { ProcessedConversation } from '../src/domain/processed-conversation.js';
import { createPipeline } from '../src/pipeline/run-pipeline.js';
import { SearchService, type SearchRequest } from '../src/search/search-service.js';
import { generateConversations } from './demo-data/generate.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const count = arg('count', 50_000);
const runs = arg('runs', 50);
const BATCH = 1000;

const team = Array.from({ length: 10 }, (_, i) => `a-${String(11 + i).padStart(3, '0')}`);
const QUERIES: [string, SearchRequest][] = [
  [
    '年费 (text + facets + weekly histogram)',
    { q: '年费', sort: 'relevance', limit: 20, facets: true, interval: 'week' },
  ],
  ['余额宝 (monthly trend)', { q: '余额宝', sort: 'time', limit: 20, facets: true, interval: 'month' }],
  [
    'speaker:customer 转到 OR 转走, team agents',
    {
      q: 'speaker:customer 转到 OR 转走',
      filters: { agentIds: team },
      sort: 'relevance',
      limit: 20,
      facets: true,
      interval: 'week',
    },
  ],
  [
    '手续费 NEAR/5 高',
    { q: '手续费 NEAR/5 高', sort: 'relevance', limit: 20, facets: true, interval: 'week' },
  ],
  [
    '登不上 + complaint system_failure',
    {
      q: '登不上',
      filters: { complaintCategories: ['system_failure'] },
      sort: 'relevance',
      limit: 20,
      facets: true,
      interval: 'day',
    },
  ],
  [
    '"大额存单" 利率 -定期',
    { q: '"大额存单" 利率 -定期', sort: 'relevance', limit: 20, facets: true, interval: 'week' },
  ],
  [
    'alipay + switching intent, 3 months, by time',
    {
      filters: { competitors: ['alipay'], switchingIntent: true },
      from: '2026-08-01T00:00:00+08:00',
      to: '2026-10-31T23:59:59+08:00',
      sort: 'time',
      limit: 20,
      facets: true,
      interval: 'week',
    },
  ],
  [
    'everything (dashboard: facets + daily histogram)',
    { sort: 'time', limit: 20, facets: true, interval: 'day' },
  ],
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function main(): Promise<void> {
  const url = process.env.TEST_ELASTICSEARCH_URL;
  if (!url)
    throw new Error(
      'TEST_ELASTICSEARCH_URL is not set: run `npm run bench:search` (it starts Elasticsearch)',
    );
  const prefix = `bench-search-${Date.now()}-`;
  const stores = await createStores({ kind: 'elasticsearch', url, indexPrefix: prefix });
  const pipeline = createPipeline();
  try {
    console.log(`generating and analysing ${count} conversations ...`);
    const t0 = performance.now();
    const docs: ProcessedConversation[] = [];
    for (const conversation of generateConversations({ count, seed: 42 })) {
      const { tokens, analysis } = pipeline.process(conversation);
      docs.push({
        conversation,
        tokens,
        analysis,
        versions: pipeline.versions,
        processedAt: new Date().toISOString(),
      });
    }
    const t1 = performance.now();
    for (let i = 0; i < docs.length; i += BATCH)
      await stores.conversations.upsertMany(docs.slice(i, i + BATCH));
    await stores.conversations.refresh();
    const t2 = performance.now();
    const utterances = docs.reduce((n, d) => n + d.conversation.utterances.length, 0);
    console.log(
      `analysis: ${((count / (t1 - t0)) * 1000).toFixed(0)} conversations/s (not part of the index figure)`,
    );
    console.log(
      `indexing into Elasticsearch: ${((count / (t2 - t1)) * 1000).toFixed(0)} conversations/s ` +
        `(${count} conversations, ${utterances} utterances, bulk ${BATCH}, ${((t2 - t1) / 1000).toFixed(1)} s incl. refresh)`,
    );
    const search = new SearchService(stores.conversations, (text) => pipeline.segmentQuery(text));
    console.log(`\n${runs} runs per query (after 5 warm-up runs), milliseconds:`);
    console.log('query | hits | p50 | p95 | p99');
    for (const [name, request] of QUERIES) {
      let total = 0;
      for (let i = 0; i < 5; i++) total = (await search.search(request)).total;
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = performance.now();
        await search.search(request);
        times.push(performance.now() - start);
      }
      times.sort((a, b) => a - b);
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p).toFixed(1));
      console.log(`${name} | ${total} | ${p50} | ${p95} | ${p99}`);
    }
  } finally {
    await stores.close();
    const admin = createElasticsearchClient(url);
    await deleteByPrefix(admin, prefix);
    await admin.close();
  }
}

await main();
