/**
 * Embedded conversation writes off the event loop. Writing a conversation into SQLite (its JSON, FTS5
 * terms, utterance units, labels) costs about 0.5–1 ms of CPU, and a commit now and then triggers an
 * FTS5 segment merge or a WAL checkpoint of tens to hundreds of milliseconds; on the API's thread
 * these were the event-loop stalls of a large upload (bench:upload, README "Large uploads"). One
 * worker thread with its own connection does them instead; the caller awaits the commit, so a write
 * that resolved is durable and visible to the next read, as before. One thread, not several: SQLite
 * has one writer at a time, and one FIFO keeps the writes in the order they were called.
 */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { RequestThread } from '../../shared/request-thread.js';
import { StoreUnavailableError } from '../errors.js';
import { startStoreThread, type ThreadError } from './worker-threads.js';

export class WriteThread {
  private readonly thread: RequestThread<{ docs: ProcessedConversation[] }>;

  constructor(file: string) {
    this.thread = new RequestThread({
      start: () => startStoreThread('write-worker', { file }),
      closedError: () => new StoreUnavailableError('the SQLite database is closed'),
      // what the thread had not committed fails (the jobs retry)
      lostError: (why) => new StoreUnavailableError(`conversation write thread ${why}`),
      replyError: toStoreError,
    });
  }

  /** Writes the documents in one transaction in the thread; resolves once committed. */
  write(docs: ProcessedConversation[]): Promise<void> {
    return this.thread.request({ docs });
  }

  /** Lets the writes already sent commit, then ends the thread. */
  close(): Promise<void> {
    return this.thread.close();
  }
}

function toStoreError(error: ThreadError): Error {
  if (error.code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(error.code)) {
    return new StoreUnavailableError(`SQLite database is locked (${error.code})`);
  }
  return new Error(`conversation write thread: ${error.message}`);
}
