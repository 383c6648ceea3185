/**
 * A search worker thread: opens the embedded database read-only (WAL lets it read while the main
 * thread writes) and answers one search at a time, so a long search never holds the event loop of
 * the API (see search-pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ConversationQuery } from '../types.js';
import { searchPage } from './sqlite-search-page.js';
import { lowerThreadPriority } from '../../shared/thread-priority.js';
import { toThreadError, type ThreadError } from './worker-threads.js';

export interface SearchTask {
  id: number;
  query: ConversationQuery;
}

export type SearchReply =
  { id: number; page: ReturnType<typeof searchPage> } | { id: number; error: ThreadError };

lowerThreadPriority();
const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

parentPort?.on('message', (task: SearchTask) => {
  let reply: SearchReply;
  try {
    reply = { id: task.id, page: searchPage(db, task.query) };
  } catch (err) {
    reply = { id: task.id, error: toThreadError(err) };
  }
  parentPort?.postMessage(reply);
});
