/**
 * Embedded searches off the event loop: a few worker threads (search-worker.ts), each with its own
 * read-only handle on the database file, take searches from one queue. A search whose caller gives
 * up (the client disconnected: its AbortSignal fires) leaves the queue, or, when already running,
 * has its worker terminated and replaced, so abandoned requests do not pile up.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { InvalidQueryError, StoreUnavailableError } from '../errors.js';
import type { ConversationPage, ConversationQuery } from '../types.js';
import type { SearchReply } from './search-worker.js';
import { startStoreThread } from './worker-threads.js';

interface Task {
  id: number;
  query: ConversationQuery;
  signal: AbortSignal | undefined;
  resolve: (page: ConversationPage) => void;
  reject: (error: unknown) => void;
  onAbort: () => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

/** Error of a search its caller abandoned (same name as fetch's, so callers can tell it apart). */
export class SearchAbortedError extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('search abandoned by its caller');
  }
}

/** Worker threads to use: two at least (one long search must not queue the rest), four at most. */
export function defaultSearchWorkers(): number {
  return Math.min(4, Math.max(2, availableParallelism()));
}

export class SearchPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly size = defaultSearchWorkers(),
  ) {}

  /** Runs one search in a worker; rejects with SearchAbortedError when `signal` fires first. */
  run(query: ConversationQuery, signal?: AbortSignal): Promise<ConversationPage> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the SQLite database is closed'));
    if (signal?.aborted) return Promise.reject(new SearchAbortedError());
    return new Promise<ConversationPage>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        query,
        signal,
        resolve,
        reject,
        onAbort: () => this.abandon(task),
      };
      signal?.addEventListener('abort', task.onAbort, { once: true });
      this.queue.push(task);
      this.dispatch();
    });
  }

  /** Searches waiting for a worker (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  /** Terminates the workers; waiting and running searches fail with StoreUnavailableError. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new StoreUnavailableError('the SQLite database is closed');
    for (const task of this.queue.splice(0)) this.settle(task, gone);
    const slots = this.slots.splice(0);
    for (const slot of slots) if (slot.task) this.settle(slot.task, gone);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === undefined);
      if (slot === undefined && this.slots.length < this.size) slot = this.spawn();
      if (slot === undefined) return;
      const task = this.queue.shift() as Task;
      slot.task = task;
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, query: task.query });
    }
  }

  private spawn(): Slot {
    const worker = startWorker(this.file);
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (reply: SearchReply) => {
      const task = slot.task;
      if (task === undefined || task.id !== reply.id) return;
      slot.task = undefined;
      worker.unref();
      if ('page' in reply) this.settle(task, undefined, reply.page);
      else this.settle(task, toStoreError(reply.error));
      this.dispatch();
    });
    const lost = (error: unknown): void => {
      this.remove(slot);
      if (slot.task) this.settle(slot.task, error);
      slot.task = undefined;
      this.dispatch();
    };
    worker.on('error', (err) => lost(new StoreUnavailableError(`search worker failed: ${err.message}`)));
    worker.on('exit', () => lost(new StoreUnavailableError('search worker exited')));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private abandon(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(task, new SearchAbortedError());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot === undefined) return;
    // A running query cannot be interrupted inside SQLite from here: drop its worker, start afresh.
    this.remove(slot);
    slot.task = undefined;
    this.settle(task, new SearchAbortedError());
    void slot.worker.terminate();
    this.dispatch();
  }

  private remove(slot: Slot): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
  }

  private settle(task: Task, error: unknown, page?: ConversationPage): void {
    task.signal?.removeEventListener('abort', task.onAbort);
    if (error === undefined && page !== undefined) task.resolve(page);
    else task.reject(error);
  }
}

function toStoreError(error: { name: string; message: string; code?: string }): Error {
  if (error.name === 'InvalidQueryError') return new InvalidQueryError(error.message);
  if (error.code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
    return new StoreUnavailableError(`SQLite database is locked (${error.code})`);
  }
  return new Error(`search worker: ${error.message}`);
}

function startWorker(file: string): Worker {
  return startStoreThread('search-worker', { file });
}
