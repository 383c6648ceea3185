import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteJobQueue } from '../../../src/queue/embedded/sqlite-job-queue.js';
import { createReanalysisProcessor } from '../../../src/queue/processors/reanalysis-processor.js';
import type { JobHandlers } from '../../../src/queue/types.js';
import { ReanalysisService } from '../../../src/reanalysis/reanalysis-service.js';
import { createMemoryStores } from '../../../src/storage/memory/memory-stores.js';
import { SqliteReanalysisRunStore } from '../../../src/storage/sqlite/sqlite-reanalysis-run-store.js';
import { memoryLogger } from '../../helpers/silent-logger.js';
import { storedConversation } from '../corrections/fixtures.js';
import { until } from '../../helpers/until.js';

describe('a queued re-analysis whose batch fails for good', () => {
  let dir: string;
  let queue: SqliteJobQueue;
  let runs: SqliteReanalysisRunStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-reanalysis-fail-'));
  });
  afterEach(async () => {
    await queue?.close();
    await runs?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ends failed with the step and the reason after the last attempt, and a new run can start', async () => {
    const stores = createMemoryStores();
    await stores.conversations.upsertMany([storedConversation('c-1'), storedConversation('c-2')]);
    queue = new SqliteJobQueue({
      dataDir: dir,
      attempts: 2,
      backoffMs: 10,
      logger: memoryLogger().logger,
      pollMs: 10,
    });
    runs = new SqliteReanalysisRunStore(dir);
    let loads = 0;
    const reanalysis = new ReanalysisService(
      stores.conversations,
      async () => {
        loads++;
        throw new Error('model directory models/classifier/x is missing');
      },
      memoryLogger().logger,
      stores.corrections,
      undefined,
      {
        runs,
        enqueue: (id, data) => queue.enqueue('reanalysis', id, data),
        rewritten: async () => undefined,
      },
    );
    const nothing = async () => undefined;
    queue.process(
      {
        ingest: async () => ({ indexed: 0 }),
        'profile-update': nothing,
        'profile-expiry': nothing,
        'competitor-report': nothing,
        'webhook-delivery': nothing,
        'offer-no-answer': nothing,
        reanalysis: createReanalysisProcessor(reanalysis),
      } as JobHandlers,
      1,
    );

    await reanalysis.startQueued({ force: true });
    await until('the run stopped', async () => (await reanalysis.progressNow()).state !== 'running');
    const failed = await reanalysis.progressNow();
    assert.equal(failed.state, 'failed');
    assert.match(
      failed.error ?? '',
      /batch 0 failed after its last attempt: model directory models\/classifier\/x is missing/,
    );
    assert.equal(loads, 2, 'the batch was tried as often as the queue allows, no more');
    assert.ok(!(await reanalysis.running()), 'a failed run no longer blocks the next one');

    // The next run is accepted (here it would fail the same way: the cause is still there).
    const started = await reanalysis.startQueued({ force: true });
    assert.equal(started.state, 'running');
  });
});
