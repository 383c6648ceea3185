/**
 * WAL checkpoints off the event loop for a SQLite file whose writes run on the main thread (the
 * decision store, DATA_DIR/offers.db). With SQLite's default, the commit that takes the WAL past
 * 1,000 pages also copies them into the database and fsyncs both files, inside the request that made
 * it (bench:decisions: about half of the commits over 2 ms). Here a thread with its own handle runs
 * a PASSIVE checkpoint every `intervalMs`, which never waits for the writer nor blocks it.
 *
 * SQLite reuses the WAL from its start only when a write begins while every frame is in the
 * database, so under continuous writes the thread alone never lets it restart (each pass ends behind
 * the commits made during its fsyncs). The writer's own automatic checkpoint stays as the bound
 * (`fallbackPages`): past it the writer's commit copies the frames the thread has not copied yet
 * (at most about one interval's writes, instead of 1,000 pages every 1,000 pages), and its next write
 * restarts the WAL. So the WAL file never grows past about `fallbackPages` pages plus one interval's
 * writes, and the thread only makes the writer's checkpoints rare and small. If the thread fails,
 * the writer goes back to SQLite's default (every 1,000 pages) and does all the work, as without it.
 */
import type { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { CheckpointPass } from './checkpoint-worker.js';
import { startStoreThread } from './worker-threads.js';

export type { CheckpointPass };

export interface WalCheckpointerOptions {
  /** Time between the thread's passes (default 50 ms). */
  intervalMs?: number;
  /** The writer's `wal_autocheckpoint` (pages of the page size), the WAL's bound (default 8,192). */
  fallbackPages?: number;
  /** Told once when the thread fails; the writer then checkpoints by itself. */
  onError?: (error: Error) => void;
}

export const CHECKPOINT_INTERVAL_MS = 50;
/** 8,192 pages of 4 KiB: a WAL of at most about 32 MiB (about 900 decisions of about 9 pages). */
export const FALLBACK_CHECKPOINT_PAGES = 8192;
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

export class WalCheckpointer {
  private worker: Worker | undefined;
  private stopped = false;
  /** Callers of `pass`, answered in order. */
  private readonly waiting: { resolve: (pass: CheckpointPass) => void; reject: (error: Error) => void }[] =
    [];
  private readonly intervalMs: number;

  /** Sets the writer's automatic checkpoint to the fallback bound; the thread starts with `start`. */
  constructor(
    private readonly writer: Database.Database,
    private readonly options: WalCheckpointerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? CHECKPOINT_INTERVAL_MS;
    writer.pragma(`wal_autocheckpoint = ${options.fallbackPages ?? FALLBACK_CHECKPOINT_PAGES}`);
  }

  /** Starts the thread unless it runs, failed or was closed (a store that never writes needs none). */
  start(): void {
    if (this.worker || this.stopped) return;
    const worker = startStoreThread('checkpoint-worker', {
      file: this.writer.name,
      intervalMs: this.intervalMs,
    });
    // Never what keeps the process alive; the writer's checkpoints suffice when it is gone.
    worker.unref();
    worker.on('message', (pass: CheckpointPass) => this.waiting.shift()?.resolve(pass));
    worker.once('error', (error) => {
      this.stopped = true;
      // Without the thread, a bound of 8,192 pages would make each of the writer's checkpoints large.
      if (this.writer.open) this.writer.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
      // A SQLite error crosses the thread boundary as its code alone ({ code: 'SQLITE_CANTOPEN' }).
      const { code, message } = error as { code?: unknown; message?: unknown };
      const reason = [code, message].filter((part) => typeof part === 'string').join(': ');
      this.options.onError?.(
        new Error(`the checkpoint thread of ${this.writer.name} failed: ${reason || String(error)}`),
      );
    });
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const w of this.waiting.splice(0)) w.reject(new Error('the checkpoint thread ended'));
    });
    this.worker = worker;
  }

  /** One pass now, in the thread, answered with SQLite's frame counts (tests, diagnostics). */
  pass(): Promise<CheckpointPass> {
    this.start();
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('the checkpoint thread is closed or failed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      worker.postMessage('pass');
    });
  }

  /**
   * Ends the thread before the writer closes, so the writer's close is the last (it checkpoints and
   * removes the WAL). Terminated rather than asked: a thread still loading its module (a second or
   * more under tsx on a loaded machine) would answer only then. A pass in progress finishes first
   * (termination waits for SQLite's call to return) and the addon closes the thread's handle on exit.
   */
  async close(): Promise<void> {
    this.stopped = true;
    const worker = this.worker;
    if (!worker) return;
    // Referenced while it ends: an unreferenced thread would let the process end before it has,
    // leaving close() unresolved (a script awaiting it would just stop).
    worker.ref();
    await worker.terminate();
  }
}
