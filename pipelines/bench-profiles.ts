/**
 * `npm run bench:profiles [-- --count N]`: what the customer-profile step costs the ingest pipeline.
 * The same generated conversations are ingested end to end (HTTP upload -> queue -> analysis -> store,
 * plus the queued profile update when profiles are on) with PROFILES_ENABLED=false and =true, in the
 * embedded and the distributed mode, in one run; then the tag feed the profiles produced is read back
 * over HTTP (GET /v1/tag-feed, 1000 per page) to give its read rate. Run through
 * scripts/with-services.js, which provides TEST_ELASTICSEARCH_URL/TEST_REDIS_URL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/env.js';
import type { Conversation } from '../src/domain/conversation.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/main.js';
import { generateConversations } from './demo-data/generate.js';

const countArg = process.argv.indexOf('--count');
const count = countArg > 0 ? Number(process.argv[countArg + 1]) : 5_000;
const UPLOAD_BATCH = 1000;

type Mode = 'embedded' | 'distributed';

interface Run {
  rate: number;
  feed?: { changes: number; rate: number };
}

async function run(
  mode: Mode,
  profiles: boolean,
  conversations: Conversation[],
  quiet = false,
): Promise<Run> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-bench-profiles-'));
  const prefix = `bench-profiles-${Date.now()}-`;
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: '2',
    PROFILES_ENABLED: String(profiles),
  };
  if (mode === 'distributed') {
    Object.assign(env, {
      ELASTICSEARCH_URL: process.env.TEST_ELASTICSEARCH_URL ?? '',
      REDIS_URL: process.env.TEST_REDIS_URL ?? '',
      ELASTICSEARCH_INDEX_PREFIX: prefix,
      QUEUE_PREFIX: prefix.slice(0, -1),
      ID_HASH_SECRET: 'bench-secret-0123456789',
    });
  }
  const service = await startService(['api', 'worker'], loadConfig(env), createLogger('warn'));
  const { key } = await service.container.keys.create('admin', 'bench');
  const base = `http://127.0.0.1:${service.port}`;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const started = performance.now();
  const jobs: string[] = [];
  for (let i = 0; i < conversations.length; i += UPLOAD_BATCH) {
    const response = await fetch(`${base}/v1/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify(conversations.slice(i, i + UPLOAD_BATCH)),
    });
    if (response.status !== 202)
      throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    jobs.push(...((await response.json()) as { jobs: { id: string }[] }).jobs.map((j) => j.id));
  }
  // Done when every upload job has finished and no step it queued (profile updates) is left: depth()
  // counts uploads only, depth('steps') the steps after them (a retried step would log a warning).
  for (let idle = 0; idle < 2;) {
    const [depth, steps] = await Promise.all([
      service.container.queue.depth(),
      service.container.queue.depth('steps'),
    ]);
    if (depth.failed + steps.failed > 0) throw new Error(`${depth.failed + steps.failed} job(s) failed`);
    const states = await Promise.all(jobs.map((id) => service.container.queue.getJob(id)));
    const uploaded = states.every((j) => j?.state === 'completed');
    const busy = depth.waiting + depth.active + steps.waiting + steps.active;
    idle = uploaded && busy === 0 ? idle + 1 : 0;
    await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const result: Run = { rate: conversations.length / seconds };
  let note = '';
  if (profiles) {
    const readStarted = performance.now();
    let changes = 0;
    let cursor = '';
    for (;;) {
      const response = await fetch(`${base}/v1/tag-feed?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, {
        headers,
      });
      if (response.status !== 200) throw new Error(`tag feed answered ${response.status}`);
      const page = (await response.json()) as { changes: unknown[]; cursor: string; hasMore: boolean };
      changes += page.changes.length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const readSeconds = (performance.now() - readStarted) / 1000;
    result.feed = { changes, rate: changes / readSeconds };
    note = `; tag feed: ${changes} changes read in ${readSeconds.toFixed(2)} s = ${result.feed.rate.toFixed(0)} changes/s`;
  }
  await service.stop();
  if (mode === 'distributed') {
    const es = new Client({ node: env.ELASTICSEARCH_URL! });
    await es.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }).catch(() => undefined);
    await es.close();
    const redis = new Redis(env.REDIS_URL!);
    const keys = await redis.keys(`${prefix.slice(0, -1)}:*`);
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!quiet)
    console.log(
      `${mode.padEnd(12)} profiles ${profiles ? 'on ' : 'off'}: ${conversations.length} conversations in ${seconds.toFixed(1)} s = ` +
        `${result.rate.toFixed(0)} conversations/s${note}`,
    );
  return result;
}

if (!process.env.TEST_ELASTICSEARCH_URL || !process.env.TEST_REDIS_URL) {
  throw new Error('run through `npm run bench:profiles`, which starts Elasticsearch and Redis');
}
const conversations = [...generateConversations({ count, seed: 1 })];
const customers = new Set(conversations.map((c) => c.customerId).filter(Boolean)).size;
console.log(
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
);
console.log(`data: ${count} generated conversations of ${customers} customers`);
// Warm-up (model load, JIT), not reported; then off/on alternated twice per mode, so drift and other
// load on the machine touch both sides alike. The ratio compares the sums of the two runs of each side.
await run('embedded', false, conversations.slice(0, 300), true);
for (const mode of ['embedded', 'distributed'] as Mode[]) {
  const runs = { off: [] as Run[], on: [] as Run[] };
  for (let round = 0; round < 2; round++) {
    runs.off.push(await run(mode, false, conversations));
    runs.on.push(await run(mode, true, conversations));
  }
  const seconds = (side: Run[]) => side.reduce((sum, r) => sum + conversations.length / r.rate, 0);
  console.log(
    `${mode.padEnd(12)} with profiles / without: ${((100 * seconds(runs.off)) / seconds(runs.on)).toFixed(0)} % ` +
      `(${((2 * conversations.length) / seconds(runs.on)).toFixed(0)} vs ${((2 * conversations.length) / seconds(runs.off)).toFixed(0)} conversations/s)`,
  );
}
process.exit(0);
