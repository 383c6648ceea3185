/**
 * `npx tsx pipelines/bench-queue-claim.ts [-- --jobs 10000 --completed 10000 --conversations 40]`:
 * what claiming a job from the embedded SQLite queue costs when the queue is long (since the queue's
 * writes run in its thread, the time until the claim is committed, no longer time on the event loop).
 * Fills a fresh queue.db with `--completed` finished jobs and `--jobs` waiting ingest jobs (each with
 * `--conversations` conversations, about 300 bytes each), then claims and finishes 200 of them one
 * by one, timing each claim and each finish (the finish also prunes completed jobs past
 * keepCompleted). Prints p50 / p99 / max / mean per step.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteJobQueue } from '../src/queue/embedded/sqlite-job-queue.js';
import type { IngestJobData } from '../src/queue/types.js';
import { memoryLogger } from '../test/helpers/silent-logger.js';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const JOBS = arg('jobs', 10_000);
const COMPLETED = arg('completed', 10_000);
const CONVERSATIONS = arg('conversations', 40);
const CLAIMS = 200;

/** The queue's private steps, reached for timing only (both run in the queue's thread, awaited). */
interface Steps {
  next(claim: boolean): Promise<{ id: string } | undefined>;
  finish(id: string, result: unknown): Promise<void>;
}

function data(job: number): IngestJobData {
  return {
    conversations: Array.from({ length: CONVERSATIONS }, (_, i) => ({
      id: `j${job}-c${i}`,
      channel: 'call' as const,
      startedAt: '2026-11-01T10:00:00+08:00',
      utterances: [
        { speaker: 'agent' as const, text: '您好，这里是客服中心，请问有什么可以帮您' },
        { speaker: 'customer' as const, text: '我的信用卡年费怎么又扣了，再这样我就把卡销了，去招行办一张' },
      ],
    })),
    source: { format: 'native-json' },
  };
}

function summary(label: string, ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return `${label}: n=${ms.length} p50 ${at(0.5).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms, mean ${mean.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-bench-queue-'));
  try {
    const queue = new SqliteJobQueue({
      dataDir: dir,
      attempts: 3,
      backoffMs: 1000,
      logger: memoryLogger().logger,
    });
    const steps = queue as unknown as Steps;
    const fillStart = performance.now();
    for (let i = 0; i < COMPLETED; i++) {
      await queue.enqueueIngest(`done-${i}`, data(i));
      const claimed = await steps.next(true);
      if (claimed) await steps.finish(claimed.id, { indexed: CONVERSATIONS });
    }
    for (let i = 0; i < JOBS; i++) await queue.enqueueIngest(`job-${i}`, data(COMPLETED + i));
    const fillS = (performance.now() - fillStart) / 1000;
    const claims: number[] = [];
    const finishes: number[] = [];
    for (let i = 0; i < CLAIMS; i++) {
      let t = performance.now();
      const job = await steps.next(true);
      claims.push(performance.now() - t);
      if (!job) throw new Error('the queue ran empty before the last claim; raise --jobs');
      t = performance.now();
      await steps.finish(job.id, { indexed: CONVERSATIONS });
      finishes.push(performance.now() - t);
    }
    const bytes = fs.statSync(path.join(dir, 'queue.db')).size;
    console.log(
      `queue: ${JOBS} waiting jobs × ${CONVERSATIONS} conversations, ${COMPLETED} completed, queue.db ${(bytes / 1e6).toFixed(0)} MB (filled in ${fillS.toFixed(0)} s)`,
    );
    console.log(summary('claim', claims));
    console.log(summary('finish', finishes));
    console.log(`depth after: ${JSON.stringify(await queue.depth())}`);
    await queue.close({ drain: false });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
