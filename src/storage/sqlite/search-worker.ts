/**
 * A search worker thread: opens the embedded database read-only (WAL lets it read while the main
 * thread writes) and answers one search at a time, so a long search never holds the event loop of
 * the API (see search-pool.ts).
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { ConversationQuery } from '../types.js';
import { searchPage } from './sqlite-search-page.js';

export interface SearchTask {
  id: number;
  query: ConversationQuery;
}

export type SearchReply =
  | { id: number; page: ReturnType<typeof searchPage> }
  | { id: number; error: { name: string; message: string; code?: string } };

/**
 * On Linux a thread has its own nice value: searches yield the CPU to the event loop (health checks,
 * small requests) when cores are short. Elsewhere the thread keeps the process's priority.
 */
function lowerPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // not Linux, or not permitted: run at normal priority
  }
}

lowerPriority();
const { file } = workerData as { file: string };
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');

parentPort?.on('message', (task: SearchTask) => {
  let reply: SearchReply;
  try {
    reply = { id: task.id, page: searchPage(db, task.query) };
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown; code?: unknown };
    reply = {
      id: task.id,
      error: {
        name: String(e.name ?? 'Error'),
        message: String(e.message ?? err),
        ...(typeof e.code === 'string' ? { code: e.code } : {}),
      },
    };
  }
  parentPort?.postMessage(reply);
});
