/**
 * The conversation store's write thread (see write-thread.ts): its own read-write handle on the
 * database file. Serialising a document, its index terms and utterance units, the FTS5 inserts,
 * segment merges and WAL checkpoints all happen here, one message at a time, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { writeConversations } from './conversation-writes.js';
import { lowerThreadPriority } from '../../shared/thread-priority.js';
import { toThreadError, type ThreadError } from './worker-threads.js';

export interface WriteTask {
  id: number;
  docs: ProcessedConversation[];
}

export type WriteReply = { id: number } | { id: number; error: ThreadError };

lowerThreadPriority();
const { file } = workerData as { file: string };
// The main thread created the file and migrated its schema (WAL is a property of the file).
const db = new Database(file, { fileMustExist: true });
db.pragma('synchronous = NORMAL'); // per connection: the same rule as the main handle (database.ts)
db.pragma('busy_timeout = 5000');

parentPort?.on('message', (task: WriteTask) => {
  let reply: WriteReply;
  try {
    writeConversations(db, task.docs);
    reply = { id: task.id };
  } catch (err) {
    reply = { id: task.id, error: toThreadError(err) };
  }
  parentPort?.postMessage(reply);
});
