/** The behaviour every SavedSearchStore and AuditLog must have (memory, SQLite, Elasticsearch). */
import assert from 'node:assert/strict';
import { DuplicateRecordError } from '../../src/storage/errors.js';
import type { AuditEntry, AuditLog, SavedSearch, SavedSearchStore } from '../../src/storage/types.js';
import type { StoreFixture } from './conversation-store.contract.js';

function saved(id: string, overrides: Partial<SavedSearch> = {}): SavedSearch {
  return {
    id,
    name: `查询 ${id}`,
    query: { q: '年费 OR 手续费', channel: 'call', complaint: ['fees'], sentiment: { max: -0.25 } },
    owner: 'key-a',
    ownerName: '分析员甲',
    shared: false,
    createdAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export function describeSavedSearchStoreContract(
  name: string,
  factory: () => Promise<StoreFixture<SavedSearchStore>>,
): void {
  describe(`SavedSearchStore contract: ${name}`, function () {
    let fixture: StoreFixture<SavedSearchStore>;
    let store: SavedSearchStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => fixture.dispose());

    it('gives back an inserted search as it was saved, and nothing for an unknown id', async () => {
      const search = saved('s1', {
        name: '年费投诉（信用卡）',
        query: { q: '"年费" NEAR/5 高', nested: { list: [1, 'two', { three: true }] }, empty: {} },
      });
      await store.insert(search);
      assert.deepEqual(await store.get('s1'), search);
      assert.equal(await store.get('nope'), undefined);
    });

    it('refuses a second search with the same id and keeps the first', async () => {
      await store.insert(saved('dup', { name: 'first' }));
      await assert.rejects(store.insert(saved('dup', { name: 'second' })), DuplicateRecordError);
      assert.equal((await store.get('dup'))?.name, 'first');
    });

    it("lists one owner's searches newest first, the same instant by id descending", async () => {
      await store.insert(saved('b', { createdAt: '2026-11-01T10:00:00.000Z' }));
      await store.insert(saved('c', { createdAt: '2026-11-03T10:00:00.000Z' }));
      await store.insert(saved('a', { createdAt: '2026-11-01T10:00:00.000Z' }));
      // The same instant written in another offset: ordered as an instant, not as text.
      await store.insert(saved('d', { createdAt: '2026-11-02T08:00:00+08:00' }));
      await store.insert(saved('other', { owner: 'key-b', createdAt: '2026-11-04T10:00:00.000Z' }));
      assert.deepEqual(
        (await store.listByOwner('key-a')).map((s) => s.id),
        ['c', 'd', 'b', 'a'],
      );
      assert.deepEqual(
        (await store.listByOwner('key-b')).map((s) => s.id),
        ['other'],
      );
      assert.deepEqual(await store.listByOwner('key-c'), []);
    });

    it('deletes by id once: true, then false; the search is gone from get and the list', async () => {
      await store.insert(saved('gone'));
      await store.insert(saved('kept'));
      assert.equal(await store.delete('gone'), true);
      assert.equal(await store.delete('gone'), false);
      assert.equal(await store.delete('never'), false);
      assert.equal(await store.get('gone'), undefined);
      assert.deepEqual(
        (await store.listByOwner('key-a')).map((s) => s.id),
        ['kept'],
      );
    });

    it("lists to a key its own searches and every shared one, newest first, not others' private ones", async () => {
      await store.insert(saved('a-private', { createdAt: '2026-11-01T10:00:00.000Z' }));
      await store.insert(saved('a-shared', { shared: true, createdAt: '2026-11-03T10:00:00.000Z' }));
      await store.insert(saved('b-private', { owner: 'key-b', createdAt: '2026-11-04T10:00:00.000Z' }));
      await store.insert(
        saved('b-shared', {
          owner: 'key-b',
          ownerName: '分析员乙',
          shared: true,
          createdAt: '2026-11-02T10:00:00.000Z',
        }),
      );
      assert.deepEqual(
        (await store.listVisible('key-a')).map((s) => [s.id, s.shared]),
        [
          ['a-shared', true],
          ['b-shared', true],
          ['a-private', false],
        ],
      );
      assert.deepEqual(
        (await store.listVisible('key-b')).map((s) => s.id),
        ['b-private', 'a-shared', 'b-shared'],
      );
      assert.deepEqual(
        (await store.listVisible('key-c')).map((s) => s.id),
        ['a-shared', 'b-shared'],
      );
      assert.deepEqual((await store.get('b-shared'))?.ownerName, '分析员乙');
    });

    it('shares and unshares by id: lists and get follow; an unknown id is false', async () => {
      await store.insert(saved('s'));
      assert.equal(await store.setShared('s', true), true);
      assert.equal((await store.get('s'))?.shared, true);
      assert.deepEqual(
        (await store.listVisible('key-b')).map((s) => s.id),
        ['s'],
      );
      assert.equal(await store.setShared('s', true), true, 'sharing twice is no error');
      assert.equal(await store.setShared('s', false), true);
      assert.deepEqual(await store.get('s'), saved('s'));
      assert.deepEqual(await store.listVisible('key-b'), []);
      assert.equal(await store.setShared('nope', true), false);
    });

    it('hands out copies: changing a returned search changes nothing stored', async () => {
      await store.insert(saved('copy'));
      const got = (await store.get('copy')) as SavedSearch;
      got.query.q = 'changed';
      assert.equal((await store.get('copy'))?.query.q, '年费 OR 手续费');
    });
  });
}

function entry(id: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    at: '2026-11-01T10:00:00.000Z',
    actor: 'key-a',
    actorName: '分析员',
    action: 'export',
    query: { q: '年费', format: 'csv' },
    rows: 12,
    ...overrides,
  };
}

export function describeAuditLogContract(name: string, factory: () => Promise<StoreFixture<AuditLog>>): void {
  describe(`AuditLog contract: ${name}`, function () {
    let fixture: StoreFixture<AuditLog>;
    let log: AuditLog;
    beforeEach(async () => {
      fixture = await factory();
      log = fixture.store;
    });
    afterEach(async () => fixture.dispose());

    it('lists nothing when empty, and an appended entry as it was written', async () => {
      assert.deepEqual(await log.list(10), []);
      const one = entry('e1', { format: 'ndjson', query: { q: '手续费', filters: { channel: ['call'] } } });
      await log.append(one);
      assert.deepEqual(await log.list(10), [one]);
    });

    it('lists newest first, the same instant by id descending, whatever the order of appends', async () => {
      await log.append(entry('b', { at: '2026-11-01T10:00:00.000Z' }));
      await log.append(entry('c', { at: '2026-11-03T10:00:00.000Z' }));
      await log.append(entry('a', { at: '2026-11-01T10:00:00.000Z' }));
      await log.append(entry('d', { at: '2026-11-02T08:00:00+08:00' }));
      await log.append(entry('e', { at: '2026-11-01T10:00:00.000Z' }));
      assert.deepEqual(
        (await log.list(10)).map((e) => e.id),
        ['c', 'd', 'e', 'b', 'a'],
      );
      assert.deepEqual(
        (await log.list(2)).map((e) => e.id),
        ['c', 'd'],
      );
    });

    it('never overwrites an entry: a second append with the same id is refused', async () => {
      await log.append(entry('once', { rows: 1 }));
      await assert.rejects(log.append(entry('once', { rows: 2 })), DuplicateRecordError);
      assert.deepEqual(
        (await log.list(10)).map((e) => [e.id, e.rows]),
        [['once', 1]],
      );
    });
  });
}
