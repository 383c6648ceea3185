/** The behaviour every ReanalysisRunStore must have: SQLite (contract tier) and Redis (integration tier). */
import assert from 'node:assert/strict';
import type { ReanalysisRunStore } from '../../src/storage/reanalysis-run-store.js';
import type { StoreFixture } from './conversation-store.contract.js';

const run = (id: string, total = 1000) => ({
  id,
  force: false,
  startedAt: '2026-11-01T10:00:00.000Z',
  total,
});
const AT = '2026-11-01T11:00:00.000Z';

export function describeReanalysisRunStoreContract(
  name: string,
  factory: () => Promise<StoreFixture<ReanalysisRunStore>>,
): void {
  describe(`ReanalysisRunStore contract: ${name}`, function () {
    let fixture: StoreFixture<ReanalysisRunStore>;
    let runs: ReanalysisRunStore;
    beforeEach(async () => {
      fixture = await factory();
      runs = fixture.store;
    });
    afterEach(async () => fixture.dispose());

    it('has no run at first; a begun run is current and running with its total', async () => {
      assert.equal(await runs.current(), undefined);
      assert.equal(await runs.begin({ ...run('r1', 1200), force: true }), true);
      assert.deepEqual(await runs.current(), {
        id: 'r1',
        force: true,
        state: 'running',
        startedAt: '2026-11-01T10:00:00.000Z',
        total: 1200,
        pages: 0,
        planningDone: false,
        scanned: 0,
        rewritten: 0,
        pagesDone: 0,
      });
      assert.equal(await runs.get('nope'), undefined);
    });

    it('refuses a second run while one is running, and takes one after it ended', async () => {
      await runs.begin(run('r1'));
      assert.equal(await runs.begin(run('r2')), false);
      assert.equal((await runs.current())?.id, 'r1');
      await runs.fail('r1', 'Elasticsearch is gone', AT);
      const failed = await runs.get('r1');
      assert.equal(failed?.state, 'failed');
      assert.equal(failed?.error, 'Elasticsearch is gone');
      assert.equal(failed?.finishedAt, AT);
      assert.equal(await runs.begin(run('r2')), true);
      assert.equal((await runs.current())?.id, 'r2');
    });

    it('keeps the first recording of a plan page, and totals the plan once it ends', async () => {
      await runs.begin(run('r1', 999));
      assert.deepEqual(await runs.planPage('r1', 0, { count: 500, next: 'c1' }), { count: 500, next: 'c1' });
      // A redelivered plan step reads the page again: the first reading stays.
      assert.deepEqual(await runs.planPage('r1', 0, { count: 499, next: 'other' }), {
        count: 500,
        next: 'c1',
      });
      assert.deepEqual(await runs.planPage('r1', 1, { count: 300 }), { count: 300 });
      assert.equal((await runs.get('r1'))?.pages, 2);
      await runs.planned('r1', 2);
      await runs.planned('r1', 2);
      const planned = await runs.get('r1');
      assert.equal(planned?.planningDone, true);
      assert.equal(planned?.total, 800);
    });

    it('counts each finished page once and completes the run once, when planned and done', async () => {
      await runs.begin(run('r1'));
      await runs.planPage('r1', 0, { count: 500, next: 'c1' });
      assert.equal(await runs.pageDone('r1', 0, { scanned: 500, rewritten: 420 }), true);
      assert.equal(await runs.pageDone('r1', 0, { scanned: 500, rewritten: 420 }), false);
      assert.equal(await runs.completeIfDone('r1', AT), false, 'the plan is not complete');
      await runs.planPage('r1', 1, { count: 200 });
      await runs.planned('r1', 2);
      assert.equal(await runs.completeIfDone('r1', AT), false, 'page 1 is not done');
      assert.equal(await runs.pageDone('r1', 1, { scanned: 200, rewritten: 0 }), true);
      const results = await Promise.all([runs.completeIfDone('r1', AT), runs.completeIfDone('r1', AT)]);
      assert.deepEqual(results.sort(), [false, true]);
      const done = await runs.get('r1');
      assert.equal(done?.state, 'completed');
      assert.equal(done?.finishedAt, AT);
      assert.deepEqual([done?.total, done?.scanned, done?.rewritten, done?.pagesDone], [700, 700, 420, 2]);
      await runs.fail('r1', 'too late', AT);
      assert.equal((await runs.get('r1'))?.state, 'completed', 'a finished run stays finished');
    });

    it('counts pages finished concurrently each once', async () => {
      await runs.begin(run('r1'));
      const pages = Array.from({ length: 20 }, (_, i) => i);
      await Promise.all(pages.map((p) => runs.planPage('r1', p, { count: 10 })));
      const recorded = await Promise.all(
        [...pages, ...pages].map((p) => runs.pageDone('r1', p, { scanned: 10, rewritten: 1 })),
      );
      assert.equal(recorded.filter(Boolean).length, 20);
      const r = await runs.get('r1');
      assert.deepEqual([r?.scanned, r?.rewritten, r?.pagesDone, r?.pages], [200, 20, 20, 20]);
    });
  });
}
