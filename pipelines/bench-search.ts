/**
 * `npm run bench:search [-- --count N --runs R]`: indexes N generated conversations (default 50,000)
 * into real Elasticsearch, then runs a fixed set of analyst queries (full text + filters + facets +
 * histogram) R times each (default 50; 0 skips them) and prints p50/p95/p99 latency and indexing throughput.
 * On Elasticsearch the dashboard query is also measured with the request cache cleared before each run.
 * Run through scripts/with-services.js, which provides TEST_ELASTICSEARCH_URL.
 *
 * `--embedded` uses the embedded SQLite store instead (a temp directory, no Elasticsearch needed).
 * `--concurrency C [--rounds K]` (with --embedded) then starts the HTTP service on that store and
 * sends K rounds of C simultaneous GET /v1/search requests (the queries above in turn), printing
 * p50/p95/p99 per request and the slowest /healthz answer seen meanwhile. The service runs in a child
 * process (this script with `--serve DIR`), so the load generator does not share its event loop.
 * `--data-dir DIR` (with --embedded) keeps the store in DIR, and reuses it when it already holds N
 * conversations (no generation, no indexing).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/main.js';
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
const embedded = process.argv.includes('--embedded');
const concurrency = arg('concurrency', 0);
const rounds = arg('rounds', 3);
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
  if (!embedded && !url)
    throw new Error(
      'TEST_ELASTICSEARCH_URL is not set: run `npm run bench:search` (it starts Elasticsearch), or pass --embedded',
    );
  if (concurrency > 0 && !embedded) throw new Error('--concurrency needs --embedded');
  const prefix = `bench-search-${Date.now()}-`;
  const keepAt = process.argv.indexOf('--data-dir');
  const keep = keepAt > 0 ? path.resolve(process.argv[keepAt + 1] ?? '') : undefined;
  const dataDir = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
  const stores = embedded
    ? await createStores({ kind: 'sqlite', dataDir })
    : await createStores({ kind: 'elasticsearch', url: url ?? '', indexPrefix: prefix });
  const store = embedded ? 'the embedded store (SQLite)' : 'Elasticsearch';
  const pipeline = createPipeline();
  try {
    if (embedded && (await stores.conversations.count()) === count)
      console.log(`reusing the ${count} conversations in ${dataDir}`);
    else await fill();
    const search = new SearchService(stores.conversations, (text) => pipeline.segmentQuery(text));
    // Batch by batch (analyse, then write), so half a million conversations never sit in memory.
    async function fill(): Promise<void> {
      console.log(`generating and analysing ${count} conversations ...`);
      let analysing = 0;
      let indexing = 0;
      let utterances = 0;
      let batch: ProcessedConversation[] = [];
      const write = async (): Promise<void> => {
        const t = performance.now();
        await stores.conversations.upsertMany(batch);
        indexing += performance.now() - t;
        batch = [];
      };
      let t = performance.now();
      for (const conversation of generateConversations({ count, seed: 42 })) {
        const { tokens, analysis } = pipeline.process(conversation);
        utterances += conversation.utterances.length;
        batch.push({
          conversation,
          tokens,
          analysis,
          versions: pipeline.versions,
          processedAt: new Date().toISOString(),
        });
        if (batch.length === BATCH) {
          analysing += performance.now() - t;
          await write();
          t = performance.now();
        }
      }
      analysing += performance.now() - t;
      if (batch.length > 0) await write();
      const r = performance.now();
      await stores.conversations.refresh();
      indexing += performance.now() - r;
      console.log(
        `analysis: ${((count / analysing) * 1000).toFixed(0)} conversations/s (not part of the index figure)`,
      );
      console.log(
        `indexing into ${store}: ${((count / indexing) * 1000).toFixed(0)} conversations/s ` +
          `(${count} conversations, ${utterances} utterances, bulk ${BATCH}, ${(indexing / 1000).toFixed(1)} s incl. refresh)`,
      );
    }
    if (runs > 0) console.log(`\n${runs} runs per query (after 5 warm-up runs), milliseconds:`);
    if (runs > 0) console.log('query | hits | p50 | p95 | p99');
    for (const [name, request] of runs > 0 ? QUERIES : []) {
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
    if (runs > 0 && url && !embedded) await coldDashboard(url, `${prefix}conversations`, search);
    if (concurrency > 0) {
      await stores.close(); // the service opens the same file
      await concurrentSearches(dataDir);
    }
  } finally {
    await stores.close();
    if (url && !embedded) {
      const admin = createElasticsearchClient(url);
      await deleteByPrefix(admin, prefix);
      await admin.close();
    }
    if (keep === undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The dashboard query as the first analyst after an ingest sees it: Elasticsearch's request cache
 * (which answers the repeated dashboard above) is cleared before every run.
 */
async function coldDashboard(url: string, index: string, search: SearchService): Promise<void> {
  const request = QUERIES.at(-1)?.[1];
  if (request === undefined) return;
  const admin = createElasticsearchClient(url);
  try {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < runs + 5; i++) {
      await admin.indices.clearCache({ index, request: true });
      const start = performance.now();
      total = (await search.search(request)).total;
      if (i >= 5) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p).toFixed(1));
    console.log(
      `everything, request cache cleared before each run (cold dashboard) | ${total} | ${p50} | ${p95} | ${p99}`,
    );
  } finally {
    await admin.close();
  }
}

/** The query parameters of a request, as the console sends them. */
function toParams(request: SearchRequest): string {
  const p = new URLSearchParams({ sort: request.sort, limit: String(request.limit) });
  if (request.q) p.set('q', request.q);
  if (request.interval) p.set('interval', request.interval);
  p.set('facets', String(request.facets ?? false));
  if (request.from) p.set('from', request.from);
  if (request.to) p.set('to', request.to);
  const f = request.filters ?? {};
  if (f.agentIds) p.set('agent', f.agentIds.join(','));
  if (f.complaintCategories) p.set('complaintCategory', f.complaintCategories.join(','));
  if (f.competitors) p.set('competitor', f.competitors.join(','));
  if (f.switchingIntent !== undefined) p.set('switchingIntent', String(f.switchingIntent));
  return p.toString();
}

/** `--serve DIR`: the embedded service on DIR; sends its port and an analyst key to the parent. */
async function serve(dataDir: string): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const service = await startService(['api'], config, createLogger('warn'));
  const { key } = await service.container.keys.create('analyst', 'bench');
  process.send?.({ port: service.port, key });
  process.once('disconnect', () => void service.stop().then(() => process.exit(0)));
}

/** Rounds of simultaneous searches through the HTTP API of an embedded service on `dataDir`. */
async function concurrentSearches(dataDir: string): Promise<void> {
  const child = fork(process.argv[1] ?? '', ['--serve', dataDir], { execArgv: process.execArgv });
  try {
    const { port, key } = await new Promise<{ port: number; key: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { port: number; key: string }));
      child.once('exit', (code) => reject(new Error(`the service exited (${code})`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const get = async (query: string): Promise<number> => {
      const start = performance.now();
      const res = await fetch(`${base}/v1/search?${query}`, { headers: { authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`search answered ${res.status}`);
      return performance.now() - start;
    };
    const queries = QUERIES.map(([, request]) => toParams(request));
    for (const q of queries) await get(q); // start the search workers
    const times: number[] = [];
    let healthWorst = 0;
    let healthProbes = 0;
    const t0 = performance.now();
    for (let round = 0; round < rounds; round++) {
      let done = false;
      const burst = Promise.all(
        Array.from({ length: concurrency }, (_, i) => get(queries[i % queries.length] ?? '')),
      ).finally(() => (done = true));
      while (!done) {
        const start = performance.now();
        await (await fetch(`${base}/healthz`)).arrayBuffer();
        healthWorst = Math.max(healthWorst, performance.now() - start);
        healthProbes++;
        await new Promise((resolve) => setTimeout(resolve, 50)); // a load balancer's pace, not a flood
      }
      times.push(...(await burst));
    }
    const seconds = (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p).toFixed(0));
    console.log(
      `\n${rounds} rounds of ${concurrency} concurrent GET /v1/search (the ${queries.length} queries in turn) ` +
        `on ${count} conversations, embedded (SQLite):`,
    );
    console.log(`per request ms: p50 ${p50} | p95 ${p95} | p99 ${p99} | max ${times.at(-1)?.toFixed(0)}`);
    console.log(`throughput: ${(times.length / seconds).toFixed(1)} searches/s`);
    console.log(`/healthz meanwhile: ${healthProbes} probes, slowest ${healthWorst.toFixed(0)} ms`);
  } finally {
    if (child.connected) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    }
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt > 0) await serve(process.argv[serveAt + 1] ?? '');
else await main();
