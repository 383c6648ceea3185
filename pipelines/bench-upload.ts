/**
 * `npm run bench:upload [-- --watch 180]`: does the API keep answering while a large upload is parsed,
 * redacted, analysed and indexed? Embedded mode (API and worker in one process, the issue's worst
 * case), a 50 MB NDJSON upload, then the largest request allowed (20 files × 50 MB), each into a fresh
 * service started as a child process (pipelines/bench-upload-server.ts). The upload is sent by curl
 * (a process of its own); this process only probes `GET /healthz` every 20 ms.
 *
 * Reported per upload: /healthz p50/p99/max while the request is received and parsed (until the 202)
 * and while the queued batches are analysed and indexed (until the queue is empty, at most `--watch`
 * seconds), how many probes took 100 ms or more, the event-loop delay the service measured in itself
 * (monitorEventLoopDelay max), and peak RSS (VmHWM) of the service and of its analysis processes.
 * `--stalls DIR` adds, per event-loop stall of 90 ms or more, what the service's main thread was doing
 * (CPU profile in DIR; pipelines/bench-upload-stalls.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { attributeStalls, mainThreadProfile, type Stall } from './bench-upload-stalls.js';

const watchArg = process.argv.indexOf('--watch');
const WATCH_SECONDS = watchArg > 0 ? Number(process.argv[watchArg + 1]) : 180;
const FILE_BYTES = 50 * 1024 * 1024;
/** `--single`: the 50 MB upload alone (for profiling). */
const stallsArg = process.argv.indexOf('--stalls');
/** `--stalls DIR`: CPU profiles of the service into DIR, and what it did in each event-loop stall. */
const STALLS_DIR = stallsArg > 0 ? path.resolve(process.argv[stallsArg + 1]!) : undefined;

interface Stats {
  loopMaxMs: number;
  loopP99Ms: number;
  depth: { waiting: number; active: number; delayed: number; completed: number; failed: number };
}

/** One 50 MB NDJSON file of call transcripts with phone numbers to mask; ids unique per file. */
function writeFile(dir: string, n: number): string {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < FILE_BYTES - 2000; i++) {
    const line = JSON.stringify({
      id: `f${n}-${i}`,
      channel: 'call',
      startedAt: '2026-11-01T10:00:00+08:00',
      utterances: [
        { speaker: 'agent', text: '您好，这里是客服中心，请问有什么可以帮您' },
        {
          speaker: 'customer',
          text: `我的信用卡年费怎么又扣了${i % 7}次，我的手机号是1381234${String(i % 10000).padStart(4, '0')}`,
        },
        { speaker: 'agent', text: '您好，我帮您查询一下年费减免的达标情况，请稍等' },
        {
          speaker: 'customer',
          text: '再这样我就把卡销了，去招行办一张，你们的服务太差了，等了半个小时才接通',
        },
      ],
    });
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  const file = path.join(dir, `night-${n}.ndjson`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

function quantiles(values: number[]): string {
  if (values.length === 0) return 'no answers';
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const slow = values.filter((v) => v >= 100).length;
  return `n=${values.length} p50 ${at(0.5).toFixed(0)} ms, p99 ${at(0.99).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms, ${slow} of ${values.length} at 100 ms or more`;
}

/** CPU seconds (user + system) of the service's main thread: the event loop's work, threads apart. */
function mainThreadCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // exited meanwhile
  }
}

/** The service's child processes (the analysis pool, the parse workers are threads), by parent pid. */
function childPids(pid: number): number[] {
  return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
}

function ask(child: ChildProcess, reset = false): Promise<Stats> {
  return new Promise((resolve) => {
    child.once('message', (m: Stats) => resolve(m));
    child.send({ type: 'stats', reset });
  });
}

async function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number; key: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_NODE_OPTIONS?.split(' ') ?? []),
      ...(STALLS_DIR ? ['--cpu-prof', `--cpu-prof-dir=${STALLS_DIR}`] : []),
      '--import',
      'tsx',
      'pipelines/bench-upload-server.ts',
    ],
    {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        ...(STALLS_DIR ? { BENCH_STALL_LOG: path.join(STALLS_DIR, 'stalls.json') } : {}),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const ready = await new Promise<{ port: number; key: string }>((resolve, reject) => {
    child.once('message', (m: { port: number; key: string }) => resolve(m));
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before it was ready`)));
  });
  return { child, ...ready };
}

/** One GET on a fresh connection (as a load balancer's probe): its time until the whole answer. */
function healthz(url: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        response.on('end', () =>
          response.statusCode === 200
            ? resolve(performance.now() - start)
            : reject(new Error(`/healthz answered ${response.statusCode}`)),
        );
      })
      .on('error', reject);
  });
}

async function probe(url: string, until: () => boolean, into: number[]): Promise<void> {
  while (!until()) {
    into.push(await healthz(url));
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(label: string, files: string[]): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-bench-upload-'));
  const { child, port, key } = await startServer(dataDir);
  const base = `http://127.0.0.1:${port}`;
  await ask(child, true);
  const cpuBefore = mainThreadCpuSeconds(child.pid!);
  const started = performance.now();
  const startedAtMonotonicMs = Number(process.hrtime.bigint() / 1_000_000n);
  let answer = '';
  let received = false;
  const curl = spawn('curl', [
    '-sS',
    '-H',
    `authorization: Bearer ${key}`,
    ...files.flatMap((f) => ['-F', `file=@${f}`]),
    `${base}/v1/conversations`,
  ]);
  curl.stdout.on('data', (d: Buffer) => (answer += d.toString()));
  const curlDone = new Promise<void>((resolve) => curl.on('exit', () => resolve()));
  void curlDone.then(() => (received = true));
  const uploading: number[] = [];
  await probe(`${base}/healthz`, () => received, uploading);
  const acceptedAfter = (performance.now() - started) / 1000;
  const body = JSON.parse(answer) as { accepted: number; jobs: unknown[] };
  const uploadLoop = await ask(child, true);
  const analysing: number[] = [];
  let last: Stats = uploadLoop;
  let drained = false;
  const deadline = performance.now() + WATCH_SECONDS * 1000;
  // The analysis processes exit with the service: their peak RSS is read while they run.
  const workersPeak = new Map<number, number>();
  const watcher = (async () => {
    while (!drained && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const pid of childPids(child.pid!)) workersPeak.set(pid, peakRssMb(pid));
      last = await ask(child);
      drained = last.depth.completed + last.depth.failed >= body.jobs.length;
    }
  })();
  await probe(`${base}/healthz`, () => drained || performance.now() >= deadline, analysing);
  await watcher;
  const analysedAfter = (performance.now() - started) / 1000;
  const rss = peakRssMb(child.pid!);
  const mainCpu = mainThreadCpuSeconds(child.pid!) - cpuBefore;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'exit' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const mb = files.reduce((n, f) => n + fs.statSync(f).size, 0) / 1024 / 1024;
  console.log(
    `${label}: ${mb.toFixed(0)} MB, ${body.accepted} conversations in ${body.jobs.length} jobs, 202 after ${acceptedAfter.toFixed(1)} s`,
  );
  console.log(
    `  receiving+parsing  /healthz ${quantiles(uploading)}; event-loop delay max ${uploadLoop.loopMaxMs.toFixed(0)} ms`,
  );
  console.log(
    `  analysing+indexing /healthz ${quantiles(analysing)}; event-loop delay max ${last.loopMaxMs.toFixed(0)} ms; ` +
      `${last.depth.completed}/${body.jobs.length} jobs done after ${analysedAfter.toFixed(0)} s${drained ? '' : ` (stopped watching after ${WATCH_SECONDS} s)`}`,
  );
  if (STALLS_DIR) {
    const profile = mainThreadProfile(STALLS_DIR, child.pid!);
    const stalls = JSON.parse(fs.readFileSync(path.join(STALLS_DIR, 'stalls.json'), 'utf8')) as Stall[];
    // From the upload's start (both clocks are the system's monotonic one): start-up is not its doing.
    const since = stalls.filter(([start]) => start / 1000 >= startedAtMonotonicMs);
    console.log(
      profile ? attributeStalls(profile, since) : `  no CPU profile of ${child.pid} in ${STALLS_DIR}`,
    );
  }
  const workers = [...workersPeak.values()];
  console.log(
    `  main thread CPU ${mainCpu.toFixed(1)} s; peak RSS ${rss.toFixed(0)} MB (API process); analysis processes: ${workers.length}, ` +
      `peak RSS ${workers.map((w) => w.toFixed(0)).join(' + ') || '0'} MB`,
  );
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-bench-files-'));
try {
  const files = Array.from({ length: process.argv.includes('--single') ? 1 : 20 }, (_, n) =>
    writeFile(dir, n),
  );
  console.log(
    `bench:upload, embedded mode, ${os.availableParallelism()} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  await run('one 50 MB file', files.slice(0, 1));
  if (!process.argv.includes('--single')) await run('20 × 50 MB files', files);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
