import type { Stores } from '../types.js';
import { openDatabase } from './database.js';
import { SqliteCompetitorStats } from './sqlite-competitor-stats.js';
import { SqliteReportStore } from './sqlite-report-store.js';
import { SqliteApiKeyStore } from './sqlite-api-key-store.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';
import { SqliteCorrectionStore } from './sqlite-correction-store.js';
import { SearchPool } from './search-pool.js';
import { WriteThread } from './write-thread.js';
import { SqliteAuditLog, SqliteSavedSearchStore } from './sqlite-saved-search-store.js';

/**
 * Every store on one `${dataDir}/voc.db` handle (searches on read-only handles in worker threads,
 * conversation writes on a handle of their own in a write thread);
 * closing the Stores closes the file.
 */
export function openSqliteStores(dataDir: string): Stores {
  const db = openDatabase(dataDir);
  const conversations = new SqliteConversationStore(db, new SearchPool(db.name), new WriteThread(db.name));
  return {
    conversations,
    keys: new SqliteApiKeyStore(db),
    savedSearches: new SqliteSavedSearchStore(db),
    audit: new SqliteAuditLog(db),
    corrections: new SqliteCorrectionStore(db),
    competitorStats: new SqliteCompetitorStats(db),
    reports: new SqliteReportStore(db),
    close: () => conversations.close(),
  };
}
