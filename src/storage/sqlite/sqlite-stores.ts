import type { Stores } from '../types.js';
import { openDatabase } from './database.js';
import { SqliteApiKeyStore } from './sqlite-api-key-store.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';

/** Both stores on one `${dataDir}/voc.db` handle; closing the Stores closes the file. */
export function openSqliteStores(dataDir: string): Stores {
  const db = openDatabase(dataDir);
  const conversations = new SqliteConversationStore(db);
  return { conversations, keys: new SqliteApiKeyStore(db), close: () => conversations.close() };
}
