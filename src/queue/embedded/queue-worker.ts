/**
 * The embedded queue's write thread (see queue-thread.ts): its own read-write connection on
 * queue.db with synchronous=FULL, so each write is committed and fsynced before its reply is sent.
 * One message at a time, in arrival order: the order the main thread called.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { toThreadError, type ThreadError } from '../../shared/start-thread.js';
import { QueueWrites, type QueueWrite } from './queue-writes.js';

export interface QueueTask {
  id: number;
  write: QueueWrite;
}

export type QueueReply = { id: number; result: unknown } | { id: number; error: ThreadError };

const { file } = workerData as { file: string };
// The main thread created the file, set WAL (a property of the file) and migrated the schema.
const db = new Database(file, { fileMustExist: true });
// Per connection: the 202's durability rule (a job acknowledged is on disk) is this thread's to keep.
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const writes = new QueueWrites(db);

parentPort?.on('message', (task: QueueTask) => {
  let reply: QueueReply;
  try {
    reply = { id: task.id, result: writes.apply(task.write) };
  } catch (err) {
    reply = { id: task.id, error: toThreadError(err) };
  }
  parentPort?.postMessage(reply);
});
