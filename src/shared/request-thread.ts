import type { Worker } from 'node:worker_threads';
import type { ThreadError } from './start-thread.js';

/** What a request thread answers: `{id, result}` or `{id, error}`, in the order it was asked. */
export type ThreadReply = { id: number } & ({ error: ThreadError } | { result?: unknown });

export interface RequestThreadOptions {
  /** Starts the worker (startThread); called on the first request and after the thread was lost. */
  start: () => Worker;
  /** The error of a request made after close(). */
  closedError: () => Error;
  /** The error of the requests in flight when the thread failed (`failed: …`) or `exited`. */
  lostError: (why: string) => Error;
  /** The caller's error for one the thread answered. */
  replyError: (error: ThreadError) => Error;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * One worker thread answering requests in the order they were sent: the plumbing the store's write
 * thread and the embedded queue's thread share. A request in flight keeps the process alive (the
 * caller awaits a commit); an idle thread does not. A thread that fails or exits fails what it had
 * not answered, and the next request starts a new one.
 */
export class RequestThread<Payload extends object> {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Settles after the last request sent (replies come in order; a lost thread fails all at once). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RequestThreadOptions) {}

  /** Sends `{id, ...payload}` to the thread; resolves with the reply's result. */
  request<Result>(payload: Payload): Promise<Result> {
    if (this.closed) return Promise.reject(this.options.closedError());
    const worker = (this.worker ??= this.spawn());
    const id = this.nextId++;
    const answered = new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
      worker.ref(); // a request in flight keeps the process alive until it is answered
      worker.postMessage({ id, ...payload });
    });
    this.tail = answered.catch(() => undefined);
    return answered;
  }

  /** Lets the requests already sent finish, then ends the thread; later requests fail. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private spawn(): Worker {
    const worker = this.options.start();
    worker.on('message', (reply: ThreadReply) => {
      const pending = this.pending.get(reply.id);
      if (pending === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('error' in reply) pending.reject(this.options.replyError(reply.error));
      else pending.resolve(reply.result);
    });
    const lost = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    };
    worker.on('error', (err) => lost(this.options.lostError(`failed: ${err.message}`)));
    worker.on('exit', () => lost(this.options.lostError('exited')));
    worker.unref();
    return worker;
  }
}
