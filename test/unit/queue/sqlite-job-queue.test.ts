import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteJobQueue } from '../../../src/queue/embedded/sqlite-job-queue.js';
import type { IngestHandler, IngestJobData, JobHandlers, JobStatus } from '../../../src/queue/types.js';
import { memoryLogger } from '../../helpers/silent-logger.js';

const handlers = (ingest: IngestHandler): JobHandlers => ({
  ingest,
  'profile-update': async () => undefined,
  'profile-expiry': async () => undefined,
  'competitor-report': async () => undefined,
  'webhook-delivery': async () => undefined,
  'offer-no-answer': async () => undefined,
  reanalysis: async () => undefined,
});

const data = (n: number): IngestJobData => ({
  conversations: Array.from({ length: n }, (_, i) => ({
    id: `c-${i}`,
    channel: 'chat' as const,
    startedAt: '2026-11-01T10:00:00+08:00',
    utterances: [{ speaker: 'customer' as const, text: '你好' }],
  })),
  source: { format: 'native-json' },
});

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SqliteJobQueue', () => {
  let dir: string;
  const open = (attempts = 3) =>
    new SqliteJobQueue({ dataDir: dir, attempts, backoffMs: 20, logger: memoryLogger().logger, pollMs: 20 });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-queue-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs a job to completion with progress and result', async () => {
    const queue = open();
    await queue.enqueueIngest('j1', data(2));
    queue.process(
      handlers(async (job) => {
        await job.reportProgress(50);
        return { indexed: job.data.conversations.length };
      }),
      1,
    );
    await until(async () => (await queue.getJob('j1'))?.state === 'completed');
    const job = (await queue.getJob('j1')) as JobStatus;
    assert.equal(job.progress, 100);
    assert.deepEqual(job.result, { indexed: 2 });
    assert.equal(job.conversations, 2);
    await queue.close();
  });

  it('adds a known job id once', async () => {
    const queue = open();
    await queue.enqueueIngest('same', data(1));
    await queue.enqueueIngest('same', data(1));
    assert.equal((await queue.depth()).waiting, 1);
    await queue.close();
  });

  it('knows which upload of a conversation is the latest, across a restart', async () => {
    const first = open();
    await first.claimLatest('upload-1', ['c-0', 'c-1']);
    await first.claimLatest('upload-2', ['c-1']);
    assert.deepEqual([...(await first.superseded('upload-1', ['c-0', 'c-1', 'c-9']))], ['c-1']);
    await first.close();
    const second = open();
    assert.deepEqual([...(await second.superseded('upload-2', ['c-0', 'c-1']))], ['c-0']);
    await second.claimLatest('upload-3', ['c-0', 'c-1']);
    assert.equal((await second.superseded('upload-2', ['c-0', 'c-1'])).size, 2);
    await second.close();
  });

  it('retries with backoff and succeeds when the dependency comes back', async () => {
    const queue = open(5);
    let calls = 0;
    await queue.enqueueIngest('flaky', data(1));
    queue.process(
      handlers(async () => {
        calls++;
        if (calls < 3) throw new Error('Elasticsearch unreachable');
        return { indexed: 1 };
      }),
      1,
    );
    await until(async () => (await queue.getJob('flaky'))?.state === 'completed');
    assert.equal(calls, 3);
    assert.equal((await queue.getJob('flaky'))?.attemptsMade, 2);
    await queue.close();
  });

  it('moves an exhausted job to the failed list with the reason', async () => {
    const queue = open(2);
    await queue.enqueueIngest('doomed', data(1));
    queue.process(
      handlers(async () => {
        throw new Error('mapping conflict on field x');
      }),
      1,
    );
    await until(async () => (await queue.getJob('doomed'))?.state === 'failed');
    const failed = await queue.listJobs('failed', 10);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]?.failedReason, 'mapping conflict on field x');
    assert.equal(failed[0]?.attemptsMade, 2);
    await queue.close();
  });

  it('resumes jobs a crash left active, after a restart', async () => {
    const first = open();
    await first.enqueueIngest('interrupted', data(1));
    first.process(
      handlers(() => new Promise(() => {})),
      1,
    ); // never finishes: the "crash" happens mid-job
    await until(async () => (await first.getJob('interrupted'))?.state === 'active');
    await first.close({ drain: false });

    const second = open();
    second.process(
      handlers(async () => ({ indexed: 1 })),
      1,
    );
    await until(async () => (await second.getJob('interrupted'))?.state === 'completed');
    await second.close();
  });

  it('drains in-flight jobs on close', async () => {
    const queue = open();
    await queue.enqueueIngest('slow', data(1));
    let finished = false;
    queue.process(
      handlers(async () => {
        await new Promise((r) => setTimeout(r, 200));
        finished = true;
        return { indexed: 1 };
      }),
      1,
    );
    await until(async () => (await queue.getJob('slow'))?.state === 'active');
    await queue.close({ drain: true });
    assert.equal(finished, true);
  });
});
