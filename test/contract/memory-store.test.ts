import assert from 'node:assert/strict';
import { StoreUnavailableError } from '../../src/storage/errors.js';
import { createMemoryStores } from '../../src/storage/memory/memory-stores.js';
import { describeApiKeyStoreContract } from './api-key-store.contract.js';
import { describeConversationStoreContract, processedConversation } from './conversation-store.contract.js';
import { describeCorrectionStoreContract } from './correction-store.contract.js';

describeConversationStoreContract('memory', async () => {
  const stores = createMemoryStores();
  return { store: stores.conversations, dispose: () => stores.close() };
});

describeApiKeyStoreContract('memory', async () => {
  const stores = createMemoryStores();
  return { store: stores.keys, dispose: () => stores.close() };
});

describeCorrectionStoreContract('memory', async () => {
  const stores = createMemoryStores();
  return { store: stores.corrections, dispose: () => stores.close() };
});

describe('memory stores', () => {
  it('simulate an outage with retryable errors', async () => {
    const stores = createMemoryStores();
    stores.conversations.simulateOutage(true);
    await assert.rejects(stores.conversations.count(), StoreUnavailableError);
    stores.conversations.simulateOutage(false);
    assert.equal(await stores.conversations.count(), 0);
    await stores.close();
    await assert.rejects(stores.conversations.ping(), StoreUnavailableError);
  });

  it('hand out copies, so callers cannot change stored documents', async () => {
    const { conversations } = createMemoryStores();
    const doc = processedConversation('m1');
    await conversations.upsertMany([doc]);
    doc.conversation.channel = 'chat';
    const stored = await conversations.get('m1');
    assert.equal(stored?.conversation.channel, 'call');
  });
});
