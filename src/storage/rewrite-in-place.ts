import type { ProcessedConversation } from '../domain/processed-conversation.js';
import type { ConversationStore } from './types.js';

const BATCH = 500;

/**
 * The rebuild of stores without index aliases (SQLite, memory): page through every document in a
 * stable order (startedAt, id: a rewrite changes neither) and upsert each rewritten batch.
 */
export async function rewriteInPlace(
  store: ConversationStore,
  rewrite: (docs: ProcessedConversation[]) => Promise<ProcessedConversation[]>,
): Promise<void> {
  let after: string | undefined;
  do {
    const page = await store.search({ tokens: [], sort: 'time', limit: BATCH, ...(after ? { after } : {}) });
    const before = page.hits.map((h) => h.document);
    const rewritten = (await rewrite(before)).filter((doc, i) => doc !== before[i]);
    if (rewritten.length) await store.upsertMany(rewritten);
    after = page.next;
  } while (after);
}
