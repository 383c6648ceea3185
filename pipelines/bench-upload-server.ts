/**
 * The service under test of bench-upload.ts, in a process of its own (so the bench's client work does
 * not share its event loop): embedded mode, API plus the in-process worker. It measures its own event
 * loop (monitorEventLoopDelay) and answers the parent's `stats` messages over IPC.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config/env.js';
import { createLogger } from '../src/logging/logger.js';
import { startService } from '../src/main.js';

const service = await startService(
  ['api'],
  loadConfig({ ANALYSIS_THREADS: '1', ...process.env, PORT: '0', LOG_LEVEL: 'warn' }),
  createLogger('warn'),
);
const { key } = await service.container.keys.create('ingest', 'bench');
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

// bench-upload.ts --stalls: each stretch the loop could not run a 10 ms timer for 90 ms or more, on
// the monotonic clock of the CPU profile (µs), written at exit beside the profile.
const stalls: [number, number, number][] = [];
if (process.env.BENCH_STALL_LOG) {
  let last = process.hrtime.bigint();
  setInterval(() => {
    const now = process.hrtime.bigint();
    const ms = Number(now - last) / 1e6;
    if (ms >= 90) stalls.push([Number(last / 1000n), Number(now / 1000n), Math.round(ms)]);
    last = now;
  }, 10).unref();
  process.on('exit', () => writeFileSync(process.env.BENCH_STALL_LOG!, JSON.stringify(stalls)));
}

process.on('message', (message: { type: 'stats'; reset?: boolean } | { type: 'exit' }) => {
  // Exits without draining the queue (its SQLite file is thrown away), so that --cpu-prof is written.
  if (message.type === 'exit') process.exit(0);
  service.container.queue.depth().then((depth) => {
    process.send!({
      type: 'stats',
      loopMaxMs: loop.max / 1e6,
      loopP99Ms: loop.percentile(99) / 1e6,
      depth,
    });
    if (message.reset) loop.reset();
  }, console.error);
});
process.send!({ type: 'ready', port: service.port, key });
