import assert from 'node:assert/strict';
import { AppError, NotFoundError } from '../../../src/errors.js';
import { SavedSearchService } from '../../../src/search/saved-search-service.js';
import { MemorySavedSearchStore } from '../../../src/storage/memory/memory-saved-search-store.js';

const A = { id: 'key-a', name: '分析员甲' };
const B = { id: 'key-b', name: '分析员乙' };

describe('saved searches shared with the team', () => {
  let service: SavedSearchService;
  beforeEach(() => {
    service = new SavedSearchService(new MemorySavedSearchStore());
  });

  it('lists a search to others only once its owner shares it, and again not after unsharing', async () => {
    const s = await service.create(A, '年费投诉', { q: '年费' });
    assert.deepEqual(await service.list(B.id), []);
    assert.equal((await service.setShared(A.id, s.id, true)).shared, true);
    assert.deepEqual(
      (await service.list(B.id)).map((x) => [x.id, x.ownerName, x.shared]),
      [[s.id, '分析员甲', true]],
    );
    await service.setShared(A.id, s.id, false);
    assert.deepEqual(await service.list(B.id), []);
    assert.equal((await service.list(A.id)).length, 1);
  });

  it("refuses to share, unshare or delete someone else's search: 403 when shared, 404 when private", async () => {
    const shared = await service.create(A, '共享', { q: '年费' }, true);
    const mine = await service.create(A, '私有', { q: '手续费' });
    for (const attempt of [
      () => service.setShared(B.id, shared.id, false),
      () => service.setShared(B.id, shared.id, true),
      () => service.delete(B.id, shared.id),
    ]) {
      await assert.rejects(
        attempt(),
        (e: unknown) => e instanceof AppError && e.status === 403 && e.code === 'not_owner',
      );
    }
    await assert.rejects(service.setShared(B.id, mine.id, true), NotFoundError);
    await assert.rejects(service.delete(B.id, mine.id), NotFoundError);
    assert.equal((await service.list(B.id)).length, 1, 'still shared');
    await service.delete(A.id, shared.id);
    assert.deepEqual(await service.list(B.id), []);
  });
});
