/** The behaviour every JobQueue must have: Bull on Redis (integration tier) and the SQLite queue. */
import assert from 'node:assert/strict';
import { JOB_NAMES } from '../../src/queue/jobs.js';
import type { IngestJobData, JobHandlers, JobQueue, RunningJob } from '../../src/queue/types.js';
import { until as poll } from '../helpers/until.js';

/** Queued work on a real Redis can take a while on a loaded machine. */
const until = (what: string, check: () => Promise<boolean>): Promise<void> => poll(what, check, 15_000, 25);

export interface QueueFixture {
  queue: JobQueue;
  dispose(): Promise<void>;
}

export type OpenQueue = (options: { attempts: number; backoffMs: number }) => Promise<QueueFixture>;

const ingestData = (n: number, prefix = 'c'): IngestJobData => ({
  conversations: Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    channel: 'chat' as const,
    startedAt: '2026-11-01T10:00:00+08:00',
    utterances: [{ speaker: 'customer' as const, text: '你好' }],
  })),
  source: { file: 'calls.json', format: 'native-json' },
});

/** Every job name handled by a no-op, with the given ones instead. */
function handlers(
  overrides: Partial<Record<string, (job: RunningJob<never>) => Promise<unknown>>>,
): JobHandlers {
  const all: Record<string, unknown> = Object.fromEntries(JOB_NAMES.map((n) => [n, async () => undefined]));
  return { ...all, ...overrides } as unknown as JobHandlers;
}

export function describeJobQueueContract(name: string, open: OpenQueue): void {
  describe(`JobQueue contract: ${name}`, function () {
    let fixture: QueueFixture | undefined;
    const start = async (attempts = 3, backoffMs = 20) => {
      fixture = await open({ attempts, backoffMs });
      return fixture.queue;
    };
    afterEach(async () => {
      await fixture?.dispose();
      fixture = undefined;
    });

    it('answers a ping', async () => {
      const queue = await start();
      await queue.ping();
    });

    it('runs an ingest job with its data, then reports it completed with its count, source and result', async () => {
      const queue = await start();
      const seen: RunningJob<'ingest'>[] = [];
      await queue.enqueueIngest('ingest-run', ingestData(3));
      const before = await queue.getJob('ingest-run');
      assert.equal(before?.state, 'waiting');
      assert.equal(before?.conversations, 3);
      queue.process(
        handlers({
          ingest: async (job: RunningJob<'ingest'>) => {
            seen.push(job);
            await job.reportProgress(40);
            return { indexed: job.data.conversations.length };
          },
        } as never),
        2,
      );
      await until('the job completed', async () => (await queue.getJob('ingest-run'))?.state === 'completed');
      const job = await queue.getJob('ingest-run');
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.name, 'ingest');
      assert.equal(seen[0]!.id, 'ingest-run');
      assert.deepEqual(seen[0]!.data.conversations, ingestData(3).conversations);
      assert.ok(seen[0]!.acceptedAt > 0 && seen[0]!.acceptedAt <= Date.now());
      assert.equal(job?.progress, 100);
      assert.equal(job?.conversations, 3);
      assert.deepEqual(job?.result, { indexed: 3 });
      assert.deepEqual(job?.source, { file: 'calls.json', format: 'native-json' });
      assert.ok(job?.finishedAt !== undefined && Date.parse(job.finishedAt) >= Date.parse(job.createdAt));
      assert.deepEqual(
        (await queue.listJobs('completed', 10)).map((j) => j.id),
        ['ingest-run'],
      );
    });

    it('adds a known job id once, of any name', async () => {
      const queue = await start();
      await queue.enqueueIngest('same', ingestData(1));
      await queue.enqueueIngest('same', ingestData(2));
      assert.equal((await queue.depth()).waiting, 1);
      assert.equal((await queue.getJob('same'))?.conversations, 1);
      const runs: string[] = [];
      await queue.enqueue('profile-update', 'profile-same', { conversationIds: ['a'] });
      await queue.enqueue('profile-update', 'profile-same', { conversationIds: ['b'] });
      queue.process(
        handlers({
          'profile-update': async (job: RunningJob<'profile-update'>) => {
            runs.push(job.data.conversationIds.join());
          },
        } as never),
        1,
      );
      await until(
        'the ingest job completed',
        async () => (await queue.getJob('same'))?.state === 'completed',
      );
      await until('the profile job ran', async () => runs.length > 0);
      assert.deepEqual(runs, ['a']);
    });

    it('shows only uploads in getJob, listJobs and depth; other jobs run by name with their data', async () => {
      const queue = await start();
      await queue.enqueue('competitor-report', 'report-w45', { week: '2026-W45' });
      assert.equal(await queue.getJob('report-w45'), undefined);
      assert.deepEqual(await queue.depth(), { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 });
      const weeks: (string | undefined)[] = [];
      queue.process(
        handlers({
          'competitor-report': async (job: RunningJob<'competitor-report'>) => {
            assert.equal(job.name, 'competitor-report');
            weeks.push(job.data.week);
          },
        } as never),
        1,
      );
      await until('the report job ran', async () => weeks.length > 0);
      assert.deepEqual(weeks, ['2026-W45']);
      assert.deepEqual(await queue.listJobs('completed', 10), []);
    });

    it("counts the steps after uploads apart: depth('steps') sees them, depth() does not", async () => {
      const queue = await start();
      await queue.enqueueIngest('upload-1', { conversations: [], source: { format: 'json' } });
      await queue.enqueue('profile-update', 'profile-1', { conversationIds: ['c-1'] });
      await queue.enqueue('profile-update', 'profile-2', { conversationIds: ['c-2'] });
      assert.equal((await queue.depth()).waiting, 1);
      assert.equal((await queue.depth('uploads')).waiting, 1);
      assert.equal((await queue.depth('steps')).waiting, 2);
    });

    it('retries a failing job with backoff, then keeps it failed with its reason; enqueueing it again retries it', async () => {
      const queue = await start(3, 20);
      let calls = 0;
      let healthy = false;
      const last: boolean[] = [];
      await queue.enqueueIngest('flaky', ingestData(2));
      queue.process(
        handlers({
          ingest: async (job: RunningJob<'ingest'>) => {
            calls++;
            last.push(job.lastAttempt);
            if (!healthy) throw new Error('Elasticsearch is down');
            return { indexed: 2 };
          },
        } as never),
        1,
      );
      await until('the job failed for good', async () => (await queue.getJob('flaky'))?.state === 'failed');
      const failed = await queue.getJob('flaky');
      assert.equal(calls, 3);
      assert.deepEqual(last, [false, false, true], 'only the third attempt is the last');
      assert.equal(failed?.attemptsMade, 3);
      assert.equal(failed?.failedReason, 'Elasticsearch is down');
      assert.deepEqual(
        (await queue.listJobs('failed', 10)).map((j) => [j.id, j.failedReason]),
        [['flaky', 'Elasticsearch is down']],
      );
      assert.equal((await queue.depth()).failed, 1);
      healthy = true;
      await queue.enqueueIngest('flaky', ingestData(2));
      await until(
        'the retried job completed',
        async () => (await queue.getJob('flaky'))?.state === 'completed',
      );
      assert.equal(calls, 4);
      assert.equal((await queue.depth()).failed, 0);
    });

    it('honours a job’s own number of attempts', async () => {
      const queue = await start(5, 20);
      let calls = 0;
      await queue.enqueue('webhook-delivery', 'once-only', { webhookId: 'w1' }, { attempts: 1 });
      await queue.enqueueIngest('marker', ingestData(1));
      queue.process(
        handlers({
          'webhook-delivery': async () => {
            calls++;
            throw new Error('receiver refused');
          },
        } as never),
        1,
      );
      await until(
        'the marker job completed',
        async () => (await queue.getJob('marker'))?.state === 'completed',
      );
      // Long enough for the four extra attempts a default of 5 would make at 20, 40, 80, 160 ms.
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(calls, 1);
    });

    it('knows the latest upload of each conversation, with strictly increasing sequences', async () => {
      const queue = await start();
      const s1 = await queue.claimLatest('upload-1', ['c-0', 'c-1']);
      const s2 = await queue.claimLatest('upload-2', ['c-1']);
      const s3 = await queue.claimLatest('upload-3', []);
      assert.ok(s1 < s2 && s2 < s3, `${s1} < ${s2} < ${s3}`);
      assert.ok(s1 > 1_700_000_000_000, 'time-based: above any version a store gave before sequences');
      assert.deepEqual([...(await queue.superseded('upload-1', ['c-0', 'c-1', 'c-9']))], ['c-1']);
      assert.deepEqual([...(await queue.superseded('upload-2', ['c-0', 'c-1']))], ['c-0']);
      assert.deepEqual([...(await queue.superseded('upload-2', []))], []);
    });

    it('refuses to process with a missing or an unknown handler', async () => {
      const queue = await start();
      const all = handlers({}) as unknown as Record<string, unknown>;
      const withoutIngest = { ...all };
      delete withoutIngest.ingest;
      assert.throws(() => queue.process(withoutIngest as unknown as JobHandlers, 1), /no handler for ingest/);
      assert.throws(
        () => queue.process({ ...all, 'no-such-job': async () => undefined } as unknown as JobHandlers, 1),
        /handlers for unknown jobs no-such-job/,
      );
    });

    it('drains in-flight jobs on close', async () => {
      const queue = await start();
      let finished = false;
      let started = false;
      await queue.enqueueIngest('slow', ingestData(1));
      queue.process(
        handlers({
          ingest: async () => {
            started = true;
            await new Promise((r) => setTimeout(r, 300));
            finished = true;
            return { indexed: 1 };
          },
        } as never),
        1,
      );
      await until('the job started', async () => started);
      await queue.close({ drain: true });
      assert.equal(finished, true);
    });
  });
}
