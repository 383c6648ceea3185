/**
 * `npm run bench:decisions [-- --conversations N --decisions D --seconds S --rate R --commits]`: next-best-offer
 * decisions on realistic profiles (N generated conversations, default 2,000, analysed and turned into
 * profiles in the embedded mode), then
 *   1. in process: D decisions (default 5,000) one after another through DecisionService.decide;
 *   2. over HTTP on loopback: POST /v1/decisions with autocannon, at a fixed rate R/s (default 500) for S
 *      seconds (default 10), then as fast as 20 connections go.
 * The service runs in a child process (this script with --serve DIR) so the load generator does not
 * share its event loop. Prints throughput, p50 and p99, the load average, for the in-process run the
 * CPU time per decision and how many slow decisions (> 5 ms) the kernel preempted, and the size of the
 * decision store's WAL file after each part (its high-water mark: SQLite reuses the file, never
 * shrinks it). With --commits, also the wall time of each of the in-process part's commits, and
 * which of the slow ones checkpointed the WAL (see timeCommits).
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/env.js';
import { DECISION_CHANNELS } from '../src/domain/offer.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/main.js';
import { SqliteOfferStore } from '../src/storage/sqlite/sqlite-offer-store.js';
import { generateConversations } from './demo-data/generate.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const NOW = Date.parse('2026-11-02T10:00:00+08:00');
const INBOUND = DECISION_CHANNELS.filter((c) => c !== 'outbound_call' && c !== 'sms');

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Times every group commit of the decision store (its private `flush`, wrapped) and reads the WAL's
 * frame count after each from the WAL index (`offers.db-shm`, mxFrame at byte 16 of its header:
 * https://sqlite.org/walformat.html). The count drops when a write starts the WAL over, which it
 * does only after a checkpoint copied every frame: when the commit before the drop had the WAL past
 * the writer's automatic-checkpoint limit, that commit was the checkpoint.
 */
function timeCommits(dataDir: string): { report: () => string } {
  const proto = SqliteOfferStore.prototype as unknown as { flush: () => void };
  const flush = proto.flush;
  const times: number[] = [];
  const frames: number[] = [];
  let shm: number | undefined;
  const header = Buffer.alloc(4);
  proto.flush = function (this: unknown) {
    const start = performance.now();
    flush.call(this);
    times.push(performance.now() - start);
    shm ??= fs.openSync(path.join(dataDir, 'offers.db-shm'), 'r');
    fs.readSync(shm, header, 0, 4, 16);
    frames.push(header.readUInt32LE(0));
  };
  return {
    report: () => {
      proto.flush = flush;
      if (shm !== undefined) fs.closeSync(shm);
      const restarted = times.map((_, i) => i + 1 < frames.length && frames[i + 1]! < frames[i]!);
      const over = (ms: number) => times.filter((t) => t > ms).length;
      const slow = times.flatMap((t, i) => (t > 20 ? [i] : []));
      const sorted = [...times].sort((a, b) => a - b);
      return (
        `commits: ${times.length}, p50 ${percentile(sorted, 50).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, ` +
        `max ${sorted.at(-1)?.toFixed(0)} ms; over 2 ms ${over(2)}, over 5 ms ${over(5)}, over 20 ms ${slow.length}, ` +
        `${slow.filter((i) => restarted[i]).length} of these followed by a WAL restart; ` +
        `${restarted.filter(Boolean).length} restarts, WAL frames before each: ` +
        times.flatMap((_, i) => (restarted[i] ? [frames[i]] : [])).join(' ')
      );
    },
  };
}

async function serve(dataDir: string): Promise<void> {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
  const service = await startService(['api'], config, createLogger('warn'), { now: () => NOW });
  const { key } = await service.container.keys.create('crm', 'bench');
  // A clean exit on SIGTERM, so `node --cpu-prof` writes the server's profile too.
  process.once('SIGTERM', () => {
    void service.stop().finally(() => process.exit(0));
  });
  process.send?.({ port: service.port, key });
}

async function seed(dataDir: string, count: number): Promise<string[]> {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
  const service = await startService(['api'], config, createLogger('warn'), { now: () => NOW });
  const { container } = service;
  const analysis = await container.analysis();
  const conversations = [...generateConversations({ count, from: '2026-09-01', to: '2026-11-01' })];
  const started = performance.now();
  for (let i = 0; i < conversations.length; i += 200) {
    const chunk = conversations.slice(i, i + 200);
    const results = await analysis.analyseMany(chunk);
    await container.stores.conversations.upsertMany(
      chunk.map((conversation, k) => ({
        conversation,
        tokens: results[k]!.tokens,
        analysis: results[k]!.analysis,
        versions: analysis.versions,
        processedAt: new Date(NOW).toISOString(),
      })),
    );
    await container.profiles.updateFromConversations(chunk.map((c) => c.id));
  }
  const customers = [...new Set(conversations.flatMap((c) => (c.customerId ? [c.customerId] : [])))];
  let tagged = 0;
  for (const id of customers.slice(0, 200))
    if ((await container.profiles.get(id))?.tags.some((t) => t.status === 'active')) tagged++;
  console.log(
    `seeded ${conversations.length} conversations, ${customers.length} customers ` +
      `(${Math.round(tagged / 2)} % of a sample with active tags) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  const decisions = arg('decisions', 5000);
  for (let i = 0; i < 200; i++)
    await container.decisions.decide({ customerId: customers[i % customers.length]!, channel: 'call' });
  const commits = process.argv.includes('--commits') ? timeCommits(dataDir) : undefined;
  const times: number[] = [];
  // Per decision: CPU time of the process and whether the kernel preempted it (an involuntary
  // context switch), to tell our own cost from time spent waiting for a CPU.
  const cpu: number[] = [];
  const preempted: boolean[] = [];
  let offers = 0;
  const t0 = performance.now();
  for (let i = 0; i < decisions; i++) {
    const before = process.resourceUsage();
    const start = performance.now();
    const result = await container.decisions.decide({
      customerId: customers[(i * 7919) % customers.length]!,
      channel: INBOUND[i % INBOUND.length]!,
      agentId: `a-${String(1 + (i % 60)).padStart(3, '0')}`,
    });
    times.push(performance.now() - start);
    const after = process.resourceUsage();
    cpu.push((after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime) / 1000);
    preempted.push(after.involuntaryContextSwitches > before.involuntaryContextSwitches);
    offers += result.offers.length;
  }
  const total = (performance.now() - t0) / 1000;
  const slow = times.flatMap((t, i) => (t > 5 ? [i] : []));
  const slowPreempted = slow.filter((i) => preempted[i]).length;
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `in process: ${decisions} decisions in ${total.toFixed(2)} s = ${Math.round(decisions / total)}/s, ` +
      `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms ` +
      `(${(offers / decisions).toFixed(2)} offers per decision)`,
  );
  console.log(
    `  CPU per decision p50 ${percentile(cpu, 50).toFixed(2)} ms, p99 ${percentile(cpu, 99).toFixed(2)} ms; ` +
      `${slow.length} decisions over 5 ms, ${slowPreempted} of them preempted by the kernel; ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} CPUs`,
  );
  console.log(`  ${walSize(dataDir)}`);
  if (commits) console.log(`  ${commits.report()}`);
  await service.stop();
  return customers;
}

/** The decision store's WAL file, read while the store is open (its last close removes it). */
function walSize(dataDir: string): string {
  const file = path.join(dataDir, 'offers.db-wal');
  const bytes = fs.existsSync(file) ? fs.statSync(file).size : 0;
  return `offers.db-wal ${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

async function http(
  url: string,
  key: string,
  customers: string[],
  rate: number | undefined,
  seconds: number,
) {
  let n = 0;
  const result = await autocannon({
    url: `${url}/v1/decisions`,
    method: 'POST',
    connections: rate ? 10 : 20,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    requests: [
      {
        setupRequest: (req) => {
          n++;
          return {
            ...req,
            body: JSON.stringify({
              customerId: customers[(n * 104_729) % customers.length],
              channel: INBOUND[n % INBOUND.length],
            }),
          };
        },
      },
    ],
  });
  const label = rate ? `HTTP at ${rate}/s` : 'HTTP, 20 connections, unthrottled';
  console.log(
    `${label}: ${result.requests.total} requests in ${seconds} s = ${Math.round(result.requests.average)}/s, ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
}

async function main(): Promise<void> {
  const serveAt = process.argv.indexOf('--serve');
  if (serveAt > 0) return serve(process.argv[serveAt + 1]!);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-decisions-'));
  try {
    const customers = await seed(dataDir, arg('conversations', 2000));
    const child = fork(process.argv[1]!, ['--serve', dataDir], { execArgv: process.execArgv });
    const { port, key } = await new Promise<{ port: number; key: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { port: number; key: string }));
      child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const seconds = arg('seconds', 10);
    await http(url, key, customers, arg('rate', 500), seconds);
    await http(url, key, customers, undefined, seconds);
    console.log(`after HTTP: ${walSize(dataDir)}`);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
