import assert from 'node:assert/strict';
import { NotFoundError } from '../../../src/errors.js';
import { SearchService } from '../../../src/search/search-service.js';
import { createMemoryStores } from '../../../src/storage/memory/memory-stores.js';
import { storedConversation } from '../corrections/fixtures.js';

describe('SearchService.conversation', () => {
  const stores = createMemoryStores();
  const search = new SearchService(stores.conversations, (text) => [...text]);

  before(async () => stores.conversations.upsertMany([storedConversation('c-1')]));

  it('answers the stored conversation with each evidence span beside its utterance', async () => {
    const view = await search.conversation('c-1');
    const stored = storedConversation('c-1');
    assert.equal(view.id, 'c-1');
    assert.deepEqual(
      view.utterances.map((u) => u.labels),
      [
        [],
        [
          { label: 'complaint:fees', start: 3, end: 5 },
          { label: 'competitor:cmb', start: 12, end: 14 },
        ],
        [],
      ],
    );
    assert.deepEqual(
      view.utterances.map((u) => u.text),
      stored.conversation.utterances.map((u) => u.text),
    );
    assert.deepEqual(view.analysis, stored.analysis);
    assert.deepEqual(view.versions, stored.versions);
    assert.equal(view.processedAt, stored.processedAt);
    assert.ok(!('tokens' in view), 'index tokens are not part of the answer');
  });

  it('throws NotFoundError naming an unknown id', async () => {
    await assert.rejects(search.conversation('c-404'), (err: unknown) => {
      assert.ok(err instanceof NotFoundError);
      assert.match(err.message, /c-404/);
      return true;
    });
  });
});
