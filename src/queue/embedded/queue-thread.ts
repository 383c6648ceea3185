/**
 * The embedded queue's writes off the event loop. Every write of queue.db (an upload's batches, the
 * latest-upload claims, a job's claim, progress, completion) is a commit with synchronous=FULL, the
 * rule behind the 202: an fsync, blocked 90–200 ms in I/O on a busy disk, which on the API's thread
 * were the event-loop stalls left during a large upload (README "Large uploads"). One worker thread
 * with its own connection does them instead, in the order they were called; the caller awaits the
 * commit, so a write that resolved is on disk, as before, and visible to the next read of the main
 * connection (WAL). Normal priority, unlike the store's write thread: it mostly waits on fsync, and
 * the 202 waits on it.
 */
import { RequestThread } from '../../shared/request-thread.js';
import { startThread, type ThreadError } from '../../shared/start-thread.js';
import type { QueueWrite, QueueWriteResults } from './queue-writes.js';

/** The error of a write to a queue thread that was closed (the job stays as it was on disk). */
export class QueueClosedError extends Error {
  constructor() {
    super('the embedded queue is closed');
    this.name = 'QueueClosedError';
  }
}

export class QueueThread {
  private readonly thread: RequestThread<{ write: QueueWrite }>;

  constructor(file: string) {
    this.thread = new RequestThread({
      start: () => startThread(import.meta.url, 'queue-worker', { file }),
      closedError: () => new QueueClosedError(),
      // the callers see the error: an upload is refused, not acknowledged
      lostError: (why) => new Error(`embedded queue thread ${why}`),
      replyError: toError,
    });
  }

  /** Runs the write in the thread; resolves with its result once committed and fsynced. */
  write<W extends QueueWrite>(write: W): Promise<QueueWriteResults[W['kind']]> {
    return this.thread.request({ write });
  }

  /** Lets the writes already sent commit, then ends the thread; later writes fail with QueueClosedError. */
  close(): Promise<void> {
    return this.thread.close();
  }
}

function toError(error: ThreadError): Error {
  const out = new Error(`embedded queue: ${error.message}`);
  if (error.code !== undefined) Object.assign(out, { code: error.code });
  return out;
}
