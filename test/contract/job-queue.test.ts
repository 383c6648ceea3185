import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteJobQueue } from '../../src/queue/embedded/sqlite-job-queue.js';
import { memoryLogger } from '../helpers/silent-logger.js';
import { describeJobQueueContract } from './job-queue.contract.js';

const root = mkdtempSync(path.join(tmpdir(), 'voc-queue-contract-'));
let counter = 0;
after(() => rmSync(root, { recursive: true, force: true }));

describeJobQueueContract('sqlite', async ({ attempts, backoffMs }) => {
  const queue = new SqliteJobQueue({
    dataDir: path.join(root, String(++counter)),
    attempts,
    backoffMs,
    logger: memoryLogger().logger,
    pollMs: 20,
  });
  let closed = false;
  const close = queue.close.bind(queue);
  queue.close = async (options) => {
    closed = true;
    await close(options);
  };
  return { queue, dispose: async () => (closed ? undefined : close({ drain: false })) };
});
