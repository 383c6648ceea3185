import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { QUEUE_MIGRATIONS } from '../../../src/queue/embedded/queue-migrations.js';
import { SqliteJobQueue } from '../../../src/queue/embedded/sqlite-job-queue.js';
import type { IngestHandler, IngestJobData, JobHandlers, JobStatus } from '../../../src/queue/types.js';
import { memoryLogger } from '../../helpers/silent-logger.js';
import { until } from '../../helpers/until.js';

const handlers = (ingest: IngestHandler): JobHandlers => ({
  ingest,
  'profile-update': async () => undefined,
  'profile-expiry': async () => undefined,
  'competitor-report': async () => undefined,
  'webhook-delivery': async () => undefined,
  'offer-no-answer': async () => undefined,
  reanalysis: async () => undefined,
});

/**
 * Records every statement that writes queue.db on this thread (better-sqlite3 runs a statement on the
 * thread that calls it; the queue's own thread loads a module instance of its own, not patched here).
 */
function recordWritesHere(): { writes: string[]; restore(): void } {
  const probe = new Database(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  probe.close();
  const writes: string[] = [];
  const originals = new Map<string, unknown>();
  for (const method of ['run', 'get', 'all', 'iterate']) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    originals.set(method, original);
    statement[method] = function (
      this: { readonly: boolean; source: string; database: Database.Database },
      ...args: unknown[]
    ) {
      if (!this.readonly && this.database.name.endsWith('queue.db')) writes.push(this.source);
      return original.apply(this, args);
    };
  }
  const exec = Database.prototype.exec;
  Database.prototype.exec = function (this: Database.Database, source: string) {
    if (this.name.endsWith('queue.db')) writes.push(source);
    return exec.call(this, source);
  };
  return {
    writes,
    restore() {
      for (const [method, original] of originals) statement[method] = original;
      Database.prototype.exec = exec;
    },
  };
}

const data = (n: number): IngestJobData => ({
  conversations: Array.from({ length: n }, (_, i) => ({
    id: `c-${i}`,
    channel: 'chat' as const,
    startedAt: '2026-11-01T10:00:00+08:00',
    utterances: [{ speaker: 'customer' as const, text: '你好' }],
  })),
  source: { format: 'native-json' },
});

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
    await until('job j1 completed', async () => (await queue.getJob('j1'))?.state === 'completed');
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
    await until('job flaky completed', async () => (await queue.getJob('flaky'))?.state === 'completed');
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
    await until('job doomed failed', async () => (await queue.getJob('doomed'))?.state === 'failed');
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
    await until(
      'job interrupted active',
      async () => (await first.getJob('interrupted'))?.state === 'active',
    );
    await first.close({ drain: false });

    const second = open();
    second.process(
      handlers(async () => ({ indexed: 1 })),
      1,
    );
    await until(
      'job interrupted completed',
      async () => (await second.getJob('interrupted'))?.state === 'completed',
    );
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
    await until('job slow active', async () => (await queue.getJob('slow'))?.state === 'active');
    await queue.close({ drain: true });
    assert.equal(finished, true);
  });
  it('keeps the newest keepCompleted finished jobs and prunes the older ones', async () => {
    const queue = new SqliteJobQueue({
      dataDir: dir,
      attempts: 1,
      backoffMs: 20,
      logger: memoryLogger().logger,
      pollMs: 20,
      keepCompleted: 2,
    });
    queue.process(
      handlers(async () => ({ indexed: 1 })),
      1,
    );
    for (const id of ['k1', 'k2', 'k3', 'k4']) {
      await queue.enqueueIngest(id, data(1));
      await until('job id completed', async () => (await queue.getJob(id))?.state === 'completed');
      await new Promise((r) => setTimeout(r, 5)); // distinct finish times
    }
    assert.equal((await queue.depth()).completed, 2);
    assert.equal(await queue.getJob('k1'), undefined);
    assert.equal(await queue.getJob('k2'), undefined);
    assert.equal((await queue.getJob('k4'))?.state, 'completed');
    await queue.close();
  });

  it('runs the jobs in run_at order, a due delayed retry before a later upload', async () => {
    const queue = open(2);
    const order: string[] = [];
    await queue.enqueueIngest('first', data(1));
    await queue.enqueue('ingest', 'later', data(1), { delayMs: 150 });
    queue.process(
      handlers(async (job) => {
        order.push(job.id);
        if (job.id === 'first' && order.length === 1) throw new Error('Elasticsearch unreachable');
        return { indexed: 1 };
      }),
      1,
    );
    await until('job later completed', async () => (await queue.getJob('later'))?.state === 'completed');
    assert.deepEqual(order, ['first', 'first', 'later']);
    await queue.close();
  });

  it('brings a queue.db from before schema versions up to date, keeping its jobs', async () => {
    // The schema as the queue created it before it had a version: no name/max_attempts columns.
    const legacy = new Database(path.join(dir, 'queue.db'));
    legacy.exec(`CREATE TABLE jobs (
      id TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT, conversations INTEGER NOT NULL,
      source TEXT NOT NULL, progress INTEGER NOT NULL DEFAULT 0, attempts_made INTEGER NOT NULL DEFAULT 0,
      run_at INTEGER NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, failed_reason TEXT, result TEXT)`);
    legacy.exec('CREATE INDEX jobs_state_run_at ON jobs(state, run_at)');
    legacy
      .prepare(
        `INSERT INTO jobs (id, state, data, conversations, source, run_at, created_at)
         VALUES ('old', 'waiting', ?, 2, '{"format":"native-json"}', 0, '2026-11-01T00:00:00.000Z')`,
      )
      .run(JSON.stringify(data(2)));
    legacy.close();

    const queue = open();
    let seen: number | undefined;
    queue.process(
      handlers(async (job) => {
        seen = job.data.conversations.length;
        return { indexed: seen };
      }),
      1,
    );
    await until('job old completed', async () => (await queue.getJob('old'))?.state === 'completed');
    assert.equal(seen, 2);
    await queue.close();
    const db = new Database(path.join(dir, 'queue.db'), { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), QUEUE_MIGRATIONS.length);
    const indexes = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]
    ).map((r) => r.name);
    for (const index of ['jobs_due', 'jobs_completed', 'jobs_name_state'])
      assert.ok(indexes.includes(index), `${index} not in ${indexes.join(', ')}`);
    db.close();
  });

  it('refuses a queue.db written by a newer version, naming both versions', () => {
    const newer = new Database(path.join(dir, 'queue.db'));
    newer.pragma(`user_version = ${QUEUE_MIGRATIONS.length + 1}`);
    newer.close();
    assert.throws(
      () => open(),
      new RegExp(
        `queue schema version ${QUEUE_MIGRATIONS.length + 1}, newer than this service knows \\(${QUEUE_MIGRATIONS.length}\\); upgrade the service`,
      ),
    );
  });

  it('commits nothing on the caller’s thread once open: uploads, claims, progress, retries and completion', async () => {
    const queue = open(2);
    const recorded = recordWritesHere();
    try {
      const seq = await queue.claimLatest('j1', ['c-0', 'c-1']);
      await queue.enqueueIngest('j1', { ...data(2), uploadSeq: seq });
      await queue.enqueueIngest('doomed', data(1));
      await queue.schedule({
        name: 'profile-expiry',
        data: {} as never,
        cron: '0 3 * * *',
        tz: 'Asia/Shanghai',
      });
      queue.process(
        handlers(async (job) => {
          if (job.id === 'doomed') throw new Error('mapping conflict');
          await job.reportProgress(50);
          return { indexed: job.data.conversations.length };
        }),
        1,
      );
      await until('j1 completed', async () => (await queue.getJob('j1'))?.state === 'completed');
      await until('doomed failed', async () => (await queue.getJob('doomed'))?.state === 'failed');
      // What they wrote is visible to this thread's reads at once.
      assert.deepEqual([...(await queue.superseded('other', ['c-0', 'c-9']))], ['c-0']);
      assert.deepEqual(recorded.writes, []);
    } finally {
      recorded.restore();
      await queue.close();
    }
  });

  it('loses no acknowledged upload when its process is killed with SIGKILL mid-enqueue', async function () {
    this.timeout(60_000);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, '../../helpers/queue-ack-child.ts'), dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const acked: string[] = [];
    let buffered = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) acked.push(line.replace(/^acked /, ''));
        // Killed with uploads in flight: eight run at a time, each a claim and an enqueue.
        if (acked.length >= 200 && child.signalCode === null) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => resolve());
    });
    assert.equal(await exited, 'SIGKILL', `the child ended otherwise after ${acked.length} acks`);
    const queue = open();
    try {
      const missing: string[] = [];
      for (const id of acked) if ((await queue.getJob(id))?.conversations !== 50) missing.push(id);
      assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged jobs lost`);
      // Their claims too: each job is the latest upload of its own conversations.
      for (const id of acked.slice(0, 20)) {
        assert.equal((await queue.superseded(id, [`${id}-c0`, `${id}-c49`])).size, 0, id);
      }
    } finally {
      await queue.close();
    }
  });

  it('counts the depth from an index alone and lists jobs without sorting them (no job row read past its payload)', async () => {
    const queue = open();
    // The queue's prepared reads, reached for their SQL: each planned on a connection of the same file.
    const reads = (queue as unknown as { sql: Record<string, Database.Statement> }).sql;
    const db = new Database(path.join(dir, 'queue.db'), { readonly: true });
    try {
      const plan = (name: string, ...params: unknown[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${reads[name]!.source}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
      assert.match(plan('depthUploads'), /COVERING INDEX jobs_name_state/);
      assert.match(plan('depthSteps'), /COVERING INDEX jobs_name_state/);
      assert.match(plan('list', 'waiting', 10), /INDEX jobs_name_state/);
      assert.doesNotMatch(plan('list', 'waiting', 10), /TEMP B-TREE/);
    } finally {
      db.close();
      await queue.close();
    }
  });
});
