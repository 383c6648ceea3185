/** What the embedded store's worker threads (searches, writes) share: how they start, their errors. */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../shared/start-thread.js';

/** Starts `<name>.js` (or `.ts` from sources) beside this file: see startThread. */
export function startStoreThread(name: string, workerData: unknown): Worker {
  return startThread(import.meta.url, name, workerData);
}

export { toThreadError, type ThreadError } from '../../shared/start-thread.js';
