/**
 * The checkpoint thread of wal-checkpointer.ts: its own handle on the database file, which does
 * nothing but copy the WAL's committed pages into the database (PASSIVE checkpoints, which never
 * wait for or block the writer) every `intervalMs`, with their fsyncs, off the writer's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file, intervalMs } = workerData as { file: string; intervalMs: number };
// The writer created the file and put it in WAL mode (a property of the file).
const db = new Database(file, { fileMustExist: true });
// Per connection: a checkpoint syncs the WAL before it overwrites pages of the database and the
// database after, as the writer's own checkpoints do.
db.pragma('synchronous = NORMAL');

/** SQLite's answer to a checkpoint: frames in the WAL, frames now in the database. */
export interface CheckpointPass {
  busy: number;
  log: number;
  checkpointed: number;
}

setTimeout(onTimer, intervalMs);

function pass(): CheckpointPass {
  // A pass with nothing new to copy reads the WAL index only: no I/O. An error (disk full, I/O)
  // ends the thread; the writer then checkpoints by itself (wal-checkpointer.ts).
  return (db.pragma('wal_checkpoint(PASSIVE)') as CheckpointPass[])[0]!;
}

function onTimer(): void {
  pass();
  setTimeout(onTimer, intervalMs);
}

// Ended by terminate() (wal-checkpointer.ts close): better-sqlite3 closes the handle as the thread exits.
parentPort?.on('message', (message: 'pass') => {
  if (message === 'pass') parentPort?.postMessage(pass());
});
