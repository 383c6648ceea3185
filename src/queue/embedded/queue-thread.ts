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
import type { Worker } from 'node:worker_threads';
import { startThread, type ThreadError } from '../../shared/start-thread.js';
import type { QueueReply, QueueTask } from './queue-worker.js';
import type { QueueWrite, QueueWriteResults } from './queue-writes.js';

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/** The error of a write to a queue thread that was closed (the job stays as it was on disk). */
export class QueueClosedError extends Error {
  constructor() {
    super('the embedded queue is closed');
    this.name = 'QueueClosedError';
  }
}

export class QueueThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Settles after the last write sent (replies come in order; a lost thread fails all at once). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Runs the write in the thread; resolves with its result once committed and fsynced. */
  write<W extends QueueWrite>(write: W): Promise<QueueWriteResults[W['kind']]> {
    if (this.closed) return Promise.reject(new QueueClosedError());
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const done = new Promise<QueueWriteResults[W['kind']]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      worker.ref(); // a write in flight keeps the process alive until it is committed
      worker.postMessage({ id, write } satisfies QueueTask);
    });
    this.tail = done.catch(() => undefined);
    return done;
  }

  /** Lets the writes already sent commit, then ends the thread; later writes fail with QueueClosedError. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private spawn(): Worker {
    const worker = startThread(import.meta.url, 'queue-worker', { file: this.file });
    worker.on('message', (reply: QueueReply) => {
      const pending = this.pending.get(reply.id);
      if (pending === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(toError(reply.error));
      else pending.resolve(reply.result);
    });
    // A thread that failed or exited fails what it had not answered (the callers see the error: an
    // upload is refused, not acknowledged); the next write starts a new thread.
    const lost = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    };
    worker.on('error', (err) => lost(new Error(`embedded queue thread failed: ${err.message}`)));
    worker.on('exit', () => lost(new Error('embedded queue thread exited')));
    worker.unref();
    return worker;
  }
}

function toError(error: ThreadError): Error {
  const out = new Error(`embedded queue: ${error.message}`);
  if (error.code !== undefined) Object.assign(out, { code: error.code });
  return out;
}
