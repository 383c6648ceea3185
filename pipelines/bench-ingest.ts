/**
 * `npm run bench:ingest [-- --count N] [--mode both|embedded|distributed] [--replay-max M]`: end-to-end
 * ingest throughput (HTTP upload -> redaction -> queue -> analysis -> store) into the embedded store
 * and into real Elasticsearch + Redis, side by side in one run. Run through scripts/with-services.js,
 * which provides TEST_ELASTICSEARCH_URL/TEST_REDIS_URL.
 *
 * The distributed run is measured against what Elasticsearch itself takes: every `_bulk` request the
 * conversation store sends is captured (the very operations and batch size, by reference, so capturing
 * costs the pipeline nothing), and after the run they are replayed with a raw client into fresh indices
 * with the same templates, as pre-built NDJSON bodies, with as many requests in flight as the pipeline
 * had at most. The ratio pipeline / raw `_bulk` says how close ingest comes to Elasticsearch's own limit
 * on this machine (target >= 0.7). Only the first M conversations' requests are kept (default 200,000)
 * so a 1M run fits in memory; the replay then covers those.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../src/config/env.js';
import type { Conversation } from '../src/domain/conversation.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/main.js';
import { deleteByPrefix } from '../src/storage/elasticsearch/index-admin.js';
import { ElasticsearchConversationStore } from '../src/storage/elasticsearch/es-conversation-store.js';
import { openElasticsearchStores } from '../src/storage/elasticsearch/es-stores.js';
import { generateConversations } from './demo-data/generate.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const count = Number(option('count') ?? 20_000);
const mode = option('mode') ?? 'both';
const replayMax = Number(option('replay-max') ?? 200_000);
const UPLOAD_BATCH = 1000;
if (!['both', 'embedded', 'distributed'].includes(mode))
  throw new Error(`--mode ${mode}: expected both, embedded or distributed`);

/** The conversation store's `_bulk` requests of the distributed run, as sent. */
interface CapturedBulk {
  operations: object[];
  conversations: number;
}
const capture = {
  active: false,
  prefix: '',
  bulks: [] as CapturedBulk[],
  conversations: 0,
  inFlight: 0,
  maxInFlight: 0,
  /** Wall time with at least one conversation `_bulk` in flight: where the pipeline waits for Elasticsearch. */
  busyMs: 0,
  busySince: 0,
};

type BulkFn = (this: Client, params: { operations?: object[] }, options?: unknown) => Promise<unknown>;
const prototype = Client.prototype as unknown as { bulk: BulkFn };
const originalBulk = prototype.bulk;
prototype.bulk = function (params, options) {
  const first = params.operations?.[0] as { index?: { _index?: string } } | undefined;
  const target = first?.index?._index ?? '';
  if (!capture.active || !target.startsWith(`${capture.prefix}conversations`))
    return originalBulk.call(this, params, options);
  const operations = params.operations ?? [];
  if (capture.conversations < replayMax) {
    capture.bulks.push({ operations, conversations: operations.length / 2 });
    capture.conversations += operations.length / 2;
  }
  if (capture.inFlight === 0) capture.busySince = performance.now();
  capture.maxInFlight = Math.max(capture.maxInFlight, ++capture.inFlight);
  return originalBulk.call(this, params, options).finally(() => {
    if (--capture.inFlight === 0) capture.busyMs += performance.now() - capture.busySince;
  });
};

/** Wall time with at least one conversation-store write (bulk, month lookup, moved-copy check) in flight. */
const store = { inFlight: 0, busyMs: 0, busySince: 0 };
type UpsertFn = (this: unknown, docs: unknown[]) => Promise<void>;
const storePrototype = ElasticsearchConversationStore.prototype as unknown as { upsertMany: UpsertFn };
const originalUpsert = storePrototype.upsertMany;
storePrototype.upsertMany = function (docs) {
  if (store.inFlight++ === 0) store.busySince = performance.now();
  return originalUpsert.call(this, docs).finally(() => {
    if (--store.inFlight === 0) store.busyMs += performance.now() - store.busySince;
  });
};

async function run(runMode: 'embedded' | 'distributed', conversations: Conversation[]): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-bench-'));
  const prefix = `bench-${Date.now()}-`;
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: '2',
  };
  if (runMode === 'distributed') {
    Object.assign(env, {
      ELASTICSEARCH_URL: process.env.TEST_ELASTICSEARCH_URL ?? '',
      REDIS_URL: process.env.TEST_REDIS_URL ?? '',
      ELASTICSEARCH_INDEX_PREFIX: prefix,
      QUEUE_PREFIX: prefix,
      ID_HASH_SECRET: 'bench-secret-0123456789',
    });
    Object.assign(capture, { active: true, prefix, bulks: [], conversations: 0, maxInFlight: 0, busyMs: 0 });
    Object.assign(store, { busyMs: 0 });
  }
  const service = await startService(['api', 'worker'], loadConfig(env), createLogger('warn'));
  const { key } = await service.container.keys.create('ingest', 'bench');
  const url = `http://127.0.0.1:${service.port}/v1/conversations`;
  const started = performance.now();
  let jobs = 0;
  for (let i = 0; i < conversations.length; i += UPLOAD_BATCH) {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(conversations.slice(i, i + UPLOAD_BATCH)),
    });
    if (response.status !== 202)
      throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    jobs += ((await response.json()) as { jobs: unknown[] }).jobs.length;
  }
  const accepted = performance.now();
  for (;;) {
    const depth = await service.container.queue.depth();
    if (depth.completed + depth.failed >= jobs) {
      if (depth.failed > 0) throw new Error(`${depth.failed} job(s) failed`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await service.container.stores.conversations.refresh();
  const seconds = (performance.now() - started) / 1000;
  capture.active = false;
  const stored = await service.container.stores.conversations.count();
  await service.stop();
  if (runMode === 'distributed') {
    const es = new Client({ node: env.ELASTICSEARCH_URL! });
    await deleteByPrefix(es, prefix);
    await es.close();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (stored !== conversations.length) throw new Error(`stored ${stored} of ${conversations.length}`);
  const rate = conversations.length / seconds;
  console.log(
    `${runMode.padEnd(12)} ${conversations.length} conversations in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} conversations/s ` +
      `(upload accepted after ${((accepted - started) / 1000).toFixed(1)} s)`,
  );
  if (runMode === 'distributed')
    console.log(
      `             of which ${(capture.busyMs / 1000).toFixed(1)} s (${(capture.busyMs / 10 / seconds) | 0} %) with a _bulk in flight, ` +
        `${(store.busyMs / 1000).toFixed(1)} s (${(store.busyMs / 10 / seconds) | 0} %) with a conversation-store write in flight; ` +
        'the rest is upload, redaction, queue and analysis',
    );
  return rate;
}

/**
 * Replays the captured `_bulk` requests with a raw client into fresh indices created by the same
 * store setup (templates, aliases), `capture.maxInFlight` requests at a time, then refreshes.
 * Returns conversations/s.
 */
async function replayBulk(url: string, pipelinePrefix: string): Promise<number> {
  const prefix = `bench-raw-${Date.now()}-`;
  const stores = await openElasticsearchStores({ url, indexPrefix: prefix });
  await stores.close();
  // The same operations with the target renamed, serialised before the clock starts: what is timed
  // is Elasticsearch taking them.
  const bodies = capture.bulks.map(
    ({ operations }) =>
      operations
        .map((op) => {
          const action = (op as { index?: { _index?: string } }).index;
          if (action?._index === undefined) return JSON.stringify(op);
          return JSON.stringify({
            index: { ...action, _index: prefix + action._index.slice(pipelinePrefix.length) },
          });
        })
        .join('\n') + '\n',
  );
  const client = new Client({ node: url, requestTimeout: 120_000 });
  // The month indices the pipeline wrote to, created as the store creates them (not timed).
  const months = new Set<string>();
  for (const { operations } of capture.bulks) {
    for (const op of operations) {
      const target = (op as { index?: { _index?: string } }).index?._index;
      if (target !== undefined) months.add(prefix + target.slice(pipelinePrefix.length));
    }
  }
  for (const writeAlias of months) {
    await client.indices.create({
      index: `${writeAlias}-000001`,
      aliases: { [`${prefix}conversations`]: {}, [writeAlias]: { is_write_index: true } },
    });
  }
  const parallel = Math.max(1, capture.maxInFlight);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        // A pre-built NDJSON string is sent as is (the transport serialises only objects).
        const response = await client.bulk({ body: body as unknown as object[] });
        if (response.errors) {
          const failed = response.items.find((item) => item.index?.error !== undefined);
          throw new Error(`raw _bulk refused a document: ${JSON.stringify(failed?.index?.error)}`);
        }
      }
    }),
  );
  await client.indices.refresh({ index: `${prefix}conversations` });
  const seconds = (performance.now() - started) / 1000;
  const stored = (await client.count({ index: `${prefix}conversations` })).count;
  await deleteByPrefix(client, prefix);
  await client.close();
  // A job that failed and retried sent its batch twice: both requests are replayed, each id stored once.
  const ids = new Set(
    capture.bulks.flatMap(({ operations }) =>
      operations.flatMap((op) => (op as { index?: { _id?: string } }).index?._id ?? []),
    ),
  );
  if (stored !== ids.size) throw new Error(`raw _bulk stored ${stored} of ${ids.size} conversations`);
  const rate = capture.conversations / seconds;
  const sizes = capture.bulks.map((b) => b.conversations);
  console.log(
    `raw _bulk    ${capture.conversations} conversations in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} conversations/s ` +
      `(the pipeline's ${capture.bulks.length} requests of ${Math.min(...sizes)}-${Math.max(...sizes)} documents, ` +
      `${(bodies.reduce((n, b) => n + Buffer.byteLength(b), 0) / 2 ** 20).toFixed(0)} MiB, ${parallel} in flight)`,
  );
  return rate;
}

if (!process.env.TEST_ELASTICSEARCH_URL || !process.env.TEST_REDIS_URL) {
  throw new Error('run through `npm run bench:ingest`, which starts Elasticsearch and Redis');
}
const conversations = [...generateConversations({ count, seed: 1 })];
const utterances = conversations.reduce((n, c) => n + c.utterances.length, 0);
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
);
console.log(`data: ${count} generated conversations, ${utterances} utterances`);
const embedded = mode === 'distributed' ? undefined : await run('embedded', conversations);
if (mode !== 'embedded') {
  const distributed = await run('distributed', conversations);
  if (embedded !== undefined)
    console.log(`ratio distributed/embedded: ${(distributed / embedded).toFixed(2)}`);
  const raw = await replayBulk(process.env.TEST_ELASTICSEARCH_URL, capture.prefix);
  console.log(`ratio pipeline/raw _bulk: ${(distributed / raw).toFixed(2)} (target 0.7)`);
}
process.exit(0);
