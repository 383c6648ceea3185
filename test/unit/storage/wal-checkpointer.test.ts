/**
 * The checkpoint thread (src/storage/sqlite/wal-checkpointer.ts) on a real SQLite file whose writer
 * never checkpoints by itself: the thread copies the WAL into the database, so the WAL is reused from
 * its start after each burst of writes instead of growing, and closing it first leaves the writer's
 * close the last one (which removes the WAL), also when nothing else keeps the process alive; a
 * thread that fails hands the checkpoints back to the writer at SQLite's default.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WalCheckpointer } from '../../../src/storage/sqlite/wal-checkpointer.js';
import { until } from '../../helpers/until.js';

describe('WalCheckpointer (WAL checkpoints off the writer’s thread)', function () {
  this.timeout(60_000); // a thread under tsx takes a second or more to start on the loaded VM
  let dir: string;
  let file: string;
  let db: Database.Database;
  let checkpointer: WalCheckpointer;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'voc-wal-checkpointer-'));
    file = path.join(dir, 'offers.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)');
    // No fallback: whatever reaches the database file was copied by the thread.
    checkpointer = new WalCheckpointer(db, { intervalMs: 10, fallbackPages: 0 });
  });
  afterEach(async () => {
    await checkpointer.close();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ROW = 4000;
  const insert = (from: number, count: number): void => {
    const stmt = db.prepare('INSERT INTO t (id, data) VALUES (?, ?)');
    // One commit per row, as one decision per commit.
    for (let id = from; id < from + count; id++) stmt.run(id, Buffer.alloc(ROW, id % 251));
  };
  const size = (name: string): number => (existsSync(name) ? statSync(name).size : 0);

  it('copies the WAL into the database on its timer, off the writer’s thread', async () => {
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
    checkpointer.start();
    insert(0, 300);
    await until('the thread copied 300 rows into the database file', () => size(file) >= 300 * ROW, 20_000);
  });

  it('lets the writer reuse the WAL from its start once a pass copied all of it', async () => {
    const burst = 300; // about 900 frames (3.7 MB of WAL) per burst
    let first = 0;
    let firstWal = 0;
    for (let round = 0; round < 5; round++) {
      insert(round * burst, burst);
      // The writer is idle: this pass copies every frame, and the next write starts the WAL over.
      const pass = await checkpointer.pass();
      assert.equal(pass.checkpointed, pass.log);
      assert.ok(pass.log >= burst, `${pass.log} frames for ${burst} commits`);
      if (round === 0) [first, firstWal] = [pass.log, size(`${file}-wal`)];
      // Without a restart the frames would add up: about 900, 1,800, 2,700…
      else assert.ok(pass.log < 2 * first, `round ${round}: ${pass.log} frames in the WAL, first ${first}`);
    }
    // Five bursts went through a WAL that holds about one (its file never shrinks, it is reused).
    const wal = size(`${file}-wal`);
    assert.ok(wal < 2 * firstWal, `WAL of ${wal} bytes after 5 bursts, ${firstWal} after one`);
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 5 * burst);
  });

  it('closes its handle first, so the writer’s close checkpoints and removes the WAL', async () => {
    checkpointer.start();
    insert(0, 50);
    await checkpointer.close();
    db.close();
    assert.equal(existsSync(`${file}-wal`), false);
    const reopened = new Database(file, { readonly: true });
    assert.equal((reopened.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 50);
    reopened.close();
  });

  it('closes in a process that has nothing else to wait for (the thread does not keep it alive)', () => {
    // A script that writes a decision and closes the store must go on after close(): the thread is
    // unreferenced, so close() has to hold the process until the thread has ended.
    const store = new URL('../../../src/storage/sqlite/sqlite-offer-store.ts', import.meta.url).href;
    const script = `
      const { SqliteOfferStore } = await import(${JSON.stringify(store)});
      const store = new SqliteOfferStore(${JSON.stringify(dir)});
      await store.reserveContacts('c1', 'call', Date.now(), [], 1, [], []);
      await store.close();
      console.log('after close');`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /after close/);
  });

  it('hands the checkpoints back to the writer at SQLite’s default when the thread fails', async () => {
    const failed = new Promise<Error>((resolve) => {
      checkpointer = new WalCheckpointer(db, { onError: resolve });
    });
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 8192);
    // The thread opens the file by name and finds none (the writer's handle still works).
    unlinkSync(file);
    checkpointer.start();
    assert.match((await failed).message, /checkpoint thread of .*offers\.db failed: SQLITE_CANTOPEN/);
    assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  });
});
