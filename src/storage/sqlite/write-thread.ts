/**
 * Embedded conversation writes off the event loop. Writing a conversation into SQLite (its JSON, FTS5
 * terms, utterance units, labels) costs about 0.5–1 ms of CPU, and a commit now and then triggers an
 * FTS5 segment merge or a WAL checkpoint of tens to hundreds of milliseconds; on the API's thread
 * these were the event-loop stalls of a large upload (bench:upload, README "Large uploads"). One
 * worker thread with its own connection does them instead; the caller awaits the commit, so a write
 * that resolved is durable and visible to the next read, as before. One thread, not several: SQLite
 * has one writer at a time, and one FIFO keeps the writes in the order they were called.
 */
import type { Worker } from 'node:worker_threads';
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { StoreUnavailableError } from '../errors.js';
import type { WriteReply, WriteTask } from './write-worker.js';
import { startStoreThread, type ThreadError } from './worker-threads.js';

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class WriteThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Settles after the last write sent (replies come in order; a lost thread fails all at once). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** Writes the documents in one transaction in the thread; resolves once committed. */
  write(docs: ProcessedConversation[]): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the SQLite database is closed'));
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const written = new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref(); // a write in flight keeps the process alive until it is committed
      worker.postMessage({ id, docs } satisfies WriteTask);
    });
    this.tail = written.catch(() => undefined);
    return written;
  }

  /** Lets the writes already sent commit, then ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private spawn(): Worker {
    const worker = startStoreThread('write-worker', { file: this.file });
    worker.on('message', (reply: WriteReply) => {
      const pending = this.pending.get(reply.id);
      if (pending === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(toStoreError(reply.error));
      else pending.resolve();
    });
    // A thread that failed or exited fails what it had not committed (the jobs retry); the next
    // write starts a new one.
    const lost = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    };
    worker.on('error', (err) =>
      lost(new StoreUnavailableError(`conversation write thread failed: ${err.message}`)),
    );
    worker.on('exit', () => lost(new StoreUnavailableError('conversation write thread exited')));
    worker.unref();
    return worker;
  }
}

function toStoreError(error: ThreadError): Error {
  if (error.code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
    return new StoreUnavailableError(`SQLite database is locked (${error.code})`);
  }
  return new Error(`conversation write thread: ${error.message}`);
}
