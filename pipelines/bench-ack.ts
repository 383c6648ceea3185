/**
 * The cost of the durable acknowledgement (issue 14 item 1): uploads' ingest jobs enqueued into Redis
 * with `appendfsync everysec` and with `appendfsync always` (each on its own throwaway redis-server,
 * AOF on, same machine, same run). Prints enqueue latency (one at a time) and throughput (8 in flight).
 *   npx tsx pipelines/bench-ack.ts [--jobs 200] [--batch 200]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { generateConversations } from './demo-data/generate.js';
import { startRedisServer } from './redis-server.js';
import { redactConversation } from '../src/pipeline/redact/index.js';
import { BullJobQueue } from '../src/queue/bull/bull-job-queue.js';
import { createLogger } from '../src/logging/logger.js';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '200' }, batch: { type: 'string', default: '200' } },
});
const jobs = Number(values.jobs);
const batch = Number(values.batch);
const conversations = [...generateConversations({ count: batch, seed: 9 })].map(
  (c) => redactConversation(c).conversation,
);
const bytes = Buffer.byteLength(JSON.stringify(conversations));

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function measure(fsync: 'everysec' | 'always') {
  const server = await startRedisServer(['--appendonly', 'yes', '--appendfsync', fsync]);
  const queue = new BullJobQueue({
    redisUrl: server.url,
    prefix: 'bench',
    attempts: 1,
    backoffMs: 1000,
    logger: createLogger('error'),
  });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < jobs; i++) {
      const t = performance.now();
      await queue.enqueueIngest(`seq-${i}`, { conversations, source: { format: 'bench' } });
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs) {
          const i = next++;
          await queue.enqueueIngest(`par-${i}`, { conversations, source: { format: 'bench' } });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      fsync,
      p50: quantile(latencies, 0.5),
      p95: quantile(latencies, 0.95),
      jobsPerSecond: jobs / seconds,
      conversationsPerSecond: (jobs * batch) / seconds,
    };
  } finally {
    await queue.close({ drain: false });
    await server.stop();
    fs.rmSync(server.dir, { recursive: true, force: true });
  }
}

const results = [];
// Alternated twice, so a change in the machine's load shows as a spread rather than a bias.
for (const fsync of ['everysec', 'always', 'everysec', 'always'] as const) results.push(await measure(fsync));
process.stdout.write(
  `${jobs} jobs of ${batch} redacted conversations (${(bytes / 1024).toFixed(0)} KiB each)\n` +
    '| appendfsync | enqueue p50 ms | p95 ms | jobs/s (8 in flight) | conversations/s |\n|---|---|---|---|---|\n',
);
for (const r of results) {
  process.stdout.write(
    `| ${r.fsync} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${r.jobsPerSecond.toFixed(0)} | ${r.conversationsPerSecond.toFixed(0)} |\n`,
  );
}
