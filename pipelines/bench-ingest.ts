/**
 * `npm run bench:ingest [-- --count N]`: end-to-end ingest throughput (HTTP upload -> redaction ->
 * queue -> analysis -> store) into the embedded store and into real Elasticsearch + Redis, side by side
 * in one run. Run through scripts/with-services.js, which provides TEST_ELASTICSEARCH_URL/TEST_REDIS_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { loadConfig } from '../src/config/env.js';
import type { Conversation } from '../src/domain/conversation.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/main.js';
import { generateConversations } from './demo-data/generate.js';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 20_000;
const UPLOAD_BATCH = 1000;

async function run(mode: 'embedded' | 'distributed', conversations: Conversation[]): Promise<number> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-bench-'));
  const prefix = `bench-${Date.now()}-`;
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: '2',
  };
  if (mode === 'distributed') {
    Object.assign(env, {
      ELASTICSEARCH_URL: process.env.TEST_ELASTICSEARCH_URL ?? '',
      REDIS_URL: process.env.TEST_REDIS_URL ?? '',
      ELASTICSEARCH_INDEX_PREFIX: prefix,
      QUEUE_PREFIX: prefix,
      ID_HASH_SECRET: 'bench-secret-0123456789',
    });
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
  const stored = await service.container.stores.conversations.count();
  await service.stop();
  if (mode === 'distributed') {
    const es = new Client({ node: env.ELASTICSEARCH_URL! });
    await es.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }).catch(() => undefined);
    await es.close();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (stored !== conversations.length) throw new Error(`stored ${stored} of ${conversations.length}`);
  const rate = conversations.length / seconds;
  console.log(
    `${mode.padEnd(12)} ${conversations.length} conversations in ${seconds.toFixed(1)} s: ${rate.toFixed(0)} conversations/s ` +
      `(upload accepted after ${((accepted - started) / 1000).toFixed(1)} s)`,
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
const embedded = await run('embedded', conversations);
const distributed = await run('distributed', conversations);
console.log(`ratio distributed/embedded: ${(distributed / embedded).toFixed(2)}`);
process.exit(0);
