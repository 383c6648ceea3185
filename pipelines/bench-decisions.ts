/**
 * `npm run bench:decisions [-- --conversations N --decisions D --seconds S --rate R --warmup W --commits]`:
 * next-best-offer decisions on realistic profiles (N generated conversations, default 2,000, analysed
 * and turned into profiles in the embedded mode), then
 *   1. in process: D decisions (default 5,000) one after another through DecisionService.decide, after
 *      200 not counted;
 *   2. over HTTP on loopback: POST /v1/decisions with autocannon, first W seconds (default 5) at R/s not
 *      counted (a fresh server compiles its hot code in its first seconds: without it, p99 at 500/s
 *      was that warm-up's), then at a fixed rate R/s (default 500) for S seconds (default 10), then as
 *      fast as 20 connections go.
 * The service runs in a child process (this script with --serve DIR) so the load generator does not
 * share its event loop. Prints throughput, p50 and p99, the load average, for the in-process run the
 * CPU time per decision and how many slow decisions (> 5 ms) the kernel preempted, and the size of the
 * decision store's WAL file after each part (its high-water mark: SQLite reuses the file, never
 * shrinks it). With --commits, also the wall time of each of the in-process part's commits, and
 * which of the slow ones checkpointed the WAL (see timeCommits).
 *
 * Over HTTP two p99s: autocannon's, and the plain p99 of the response times ("raw"). At a fixed rate
 * autocannon corrects for coordinated omission with an expected interval of ceil(1 / rate per
 * connection) = 1 ms, so a response of L ms counts L times (L, L − 1, …, 1 ms): its p50 and p99 weigh
 * requests by their latency. Its rate limit is per connection and per second: each of the 10
 * connections sends its 50 requests of a second back to back, so the server sees bursts of 10
 * concurrent requests rather than one every 2 ms. The server reports, per part, its event-loop delay
 * (perf_hooks.monitorEventLoopDelay) and its garbage-collection pauses, to tell where a tail comes from.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
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

/** What the server saw during one part of the HTTP run (see serverWatch). */
interface ServerPart {
  loopP99: number;
  loopMax: number;
  gcCount: number;
  gcTotal: number;
  gcMax: number;
  gcOver10: number;
}

/**
 * In the server: its event-loop delay and its garbage-collection pauses since the last report; the
 * parent asks for a report (and a fresh start) after each part.
 */
function serverWatch(): () => ServerPart {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let pauses: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  return () => {
    const part: ServerPart = {
      loopP99: delay.percentile(99) / 1e6,
      loopMax: delay.max / 1e6,
      gcCount: pauses.length,
      gcTotal: pauses.reduce((a, b) => a + b, 0),
      gcMax: Math.max(0, ...pauses),
      gcOver10: pauses.filter((d) => d > 10).length,
    };
    delay.reset();
    pauses = [];
    return part;
  };
}

async function serve(dataDir: string): Promise<void> {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' });
  const service = await startService(['api'], config, createLogger('warn'), { now: () => NOW });
  const { key } = await service.container.keys.create('crm', 'bench');
  const report = serverWatch();
  process.on('message', (m) => {
    if (m === 'report') process.send?.({ part: report() });
  });
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
  server: () => Promise<ServerPart>,
  warmup = false,
) {
  let n = 0;
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
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
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error as Error) : resolve(result)),
    );
    run.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  const label = `${warmup ? 'warm-up (not counted), ' : ''}${rate ? `HTTP at ${rate}/s` : 'HTTP, 20 connections, unthrottled'}`;
  const s = await server();
  console.log(
    `${label}: ${result.requests.total} requests in ${seconds} s = ${Math.round(result.requests.average)}/s, ` +
      `p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (raw p50 ${percentile(times, 50).toFixed(1)}, p99 ${percentile(times, 99).toFixed(1)}, max ${times.at(-1)?.toFixed(0)} ms), ` +
      `non-2xx ${result.non2xx}, errors ${result.errors}, load average ${os.loadavg()[0]!.toFixed(1)}`,
  );
  console.log(
    `  server: event-loop delay p99 ${s.loopP99.toFixed(1)} ms, max ${s.loopMax.toFixed(0)} ms; ` +
      `GC ${s.gcCount} pauses, ${s.gcTotal.toFixed(0)} ms in all, longest ${s.gcMax.toFixed(1)} ms, ${s.gcOver10} over 10 ms`,
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
    const server = () =>
      new Promise<ServerPart>((resolve) => {
        const onMessage = (m: unknown) => {
          if (m && typeof m === 'object' && 'part' in m) {
            child.off('message', onMessage);
            resolve((m as { part: ServerPart }).part);
          }
        };
        child.on('message', onMessage);
        child.send('report');
      });
    const seconds = arg('seconds', 10);
    const rate = arg('rate', 500);
    const warmup = arg('warmup', 5);
    if (warmup > 0) await http(url, key, customers, rate, warmup, server, true);
    else await server();
    await http(url, key, customers, rate, seconds, server);
    await http(url, key, customers, undefined, seconds, server);
    console.log(`after HTTP: ${walSize(dataDir)}`);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
