/** The behaviour every CorrectionStore must have (memory, SQLite, Elasticsearch). */
import assert from 'node:assert/strict';
import type { Correction } from '../../src/domain/correction.js';
import { DuplicateRecordError, InvalidQueryError } from '../../src/storage/errors.js';
import type { CorrectionStore } from '../../src/storage/types.js';
import type { StoreFixture } from './conversation-store.contract.js';

export function correction(id: string, overrides: Partial<Correction> = {}): Correction {
  return {
    id,
    conversationId: 'c1',
    utterance: 1,
    text: '你们的年费太贵了',
    label: 'complaint:fees',
    action: 'remove',
    labelsBefore: ['complaint', 'complaint:fees'],
    labelsAfter: ['complaint'],
    versions: { pipeline: 'p1', taxonomy: 't1', dictionary: 'd1', model: 'm1' },
    actor: 'key-1',
    actorName: '质检 王',
    at: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export function describeCorrectionStoreContract(
  name: string,
  factory: () => Promise<StoreFixture<CorrectionStore>>,
): void {
  describe(`CorrectionStore contract: ${name}`, function () {
    let fixture: StoreFixture<CorrectionStore>;
    let store: CorrectionStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('keeps every field of an inserted correction and lists it at once', async () => {
      const record = correction('k1', { label: 'aspect:cmb/rate', action: 'add', utterance: 3 });
      await store.insert(record);
      assert.deepEqual((await store.list({ limit: 10 })).items, [record]);
      assert.deepEqual(await store.forConversations(['c1']), [record]);
    });

    it('rejects a second correction with the same id', async () => {
      await store.insert(correction('k1'));
      await assert.rejects(store.insert(correction('k1', { label: 'need:pension' })), DuplicateRecordError);
      assert.equal((await store.list({ limit: 10 })).items.length, 1);
    });

    it('lists newest first, then by id descending, in pages that neither skip nor repeat', async () => {
      const at = (m: number) => `2026-11-01T10:0${m}:00.000Z`;
      await store.insert(correction('b', { at: at(1) }));
      await store.insert(correction('a', { at: at(1) }));
      await store.insert(correction('c', { at: at(0) }));
      await store.insert(correction('d', { at: at(2) }));
      await store.insert(correction('e', { at: at(1) }));
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await store.list({ limit: 2, ...(after ? { after } : {}) });
        seen.push(...page.items.map((c) => c.id));
        after = page.next;
        pages++;
      } while (after !== undefined && pages < 10);
      assert.deepEqual(seen, ['d', 'e', 'b', 'a', 'c']);
      assert.equal(pages, 3);
      assert.equal((await store.list({ limit: 5 })).next, undefined, 'no cursor on the last page');
    });

    it('filters by conversation and by exact label', async () => {
      await store.insert(correction('k1', { conversationId: 'c1', label: 'complaint:fees' }));
      await store.insert(correction('k2', { conversationId: 'c2', label: 'complaint:fees' }));
      await store.insert(correction('k3', { conversationId: 'c1', label: 'complaint' }));
      const ids = async (q: { conversationId?: string; label?: string }) =>
        (await store.list({ limit: 10, ...q })).items.map((c) => c.id).sort();
      assert.deepEqual(await ids({ conversationId: 'c1' }), ['k1', 'k3']);
      assert.deepEqual(await ids({ label: 'complaint:fees' }), ['k1', 'k2']);
      assert.deepEqual(await ids({ label: 'complaint' }), ['k3']);
      assert.deepEqual(await ids({ conversationId: 'c2', label: 'complaint' }), []);
      assert.deepEqual(await ids({ conversationId: 'nope' }), []);
    });

    it('gives the corrections of several conversations in the order they apply', async () => {
      await store.insert(correction('z', { conversationId: 'c1', at: '2026-11-01T10:00:00.000Z' }));
      await store.insert(correction('y', { conversationId: 'c2', at: '2026-11-01T09:00:00.000Z' }));
      await store.insert(correction('x', { conversationId: 'c1', at: '2026-11-01T11:00:00.000Z' }));
      await store.insert(correction('w', { conversationId: 'c3', at: '2026-11-01T08:00:00.000Z' }));
      await store.insert(correction('v', { conversationId: 'c1', at: '2026-11-01T10:00:00.000Z' }));
      assert.deepEqual(
        (await store.forConversations(['c1', 'c2', 'c1'])).map((c) => c.id),
        ['y', 'v', 'z', 'x'],
      );
      assert.deepEqual(await store.forConversations([]), []);
      assert.deepEqual(await store.forConversations(['unknown']), []);
    });

    it('refuses a malformed or foreign cursor and a limit out of range', async () => {
      await assert.rejects(store.list({ limit: 10, after: 'not-a-cursor' }), InvalidQueryError);
      const foreign = Buffer.from(JSON.stringify(['t', 1, 'x'])).toString('base64url');
      await assert.rejects(store.list({ limit: 10, after: foreign }), InvalidQueryError);
      await assert.rejects(store.list({ limit: 0 }), InvalidQueryError);
      await assert.rejects(store.list({ limit: 1001 }), InvalidQueryError);
    });
  });
}
