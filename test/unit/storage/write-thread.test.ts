/**
 * The embedded store's write thread (src/storage/sqlite/write-thread.ts) on a real SQLite file:
 * writes commit in the order they were called, a resolved write is visible to the main handle,
 * closing lets the writes already sent commit, and a write after close is a retryable error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type SqliteDatabase } from '../../../src/storage/sqlite/database.js';
import { StoreUnavailableError } from '../../../src/storage/errors.js';
import { WriteThread } from '../../../src/storage/sqlite/write-thread.js';
import { processedConversation } from '../../contract/conversation-store.contract.js';

describe('WriteThread (embedded conversation writes off the event loop)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let thread: WriteThread;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'voc-write-thread-'));
    db = openDatabase(dir);
    thread = new WriteThread(db.name);
  });
  afterEach(async () => {
    await thread.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stored = (id: string): string | undefined =>
    db.prepare<[string], { doc: string }>('SELECT doc FROM conversations WHERE id = ?').get(id)?.doc;

  it('commits before it resolves, in the order the writes were called', async () => {
    const first = processedConversation('c1', { tokens: [['年费']] });
    const second = processedConversation('c1', { tokens: [['利率']] });
    // Not awaited one by one: both are in flight at once, as with concurrent jobs.
    await Promise.all([thread.write([first]), thread.write([second])]);
    assert.match(stored('c1') ?? '', /利率/);
    const terms = db
      .prepare<[], { n: number }>(
        "SELECT count(*) AS n FROM conversation_terms WHERE conversation_terms MATCH '利率'",
      )
      .get();
    assert.equal(terms?.n, 1);
  });

  it('lets the writes already sent commit when closed, and refuses later ones as retryable', async () => {
    const sent = Array.from({ length: 5 }, (_, i) => thread.write([processedConversation(`c${i}`)]));
    await thread.close();
    await Promise.all(sent);
    for (let i = 0; i < 5; i++) assert.ok(stored(`c${i}`), `c${i} was not written before the close`);
    await assert.rejects(thread.write([processedConversation('late')]), StoreUnavailableError);
  });
});
