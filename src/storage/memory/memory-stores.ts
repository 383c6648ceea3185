import type { Stores } from '../types.js';
import { ScanningCompetitorStats } from './memory-competitor-stats.js';
import { MemoryReportStore } from './memory-report-store.js';
import { MemoryApiKeyStore } from './memory-api-key-store.js';
import { MemoryConversationStore } from './memory-conversation-store.js';
import { MemoryCorrectionStore } from './memory-correction-store.js';
import { MemoryAuditLog, MemorySavedSearchStore } from './memory-saved-search-store.js';

export interface MemoryStores extends Stores {
  conversations: MemoryConversationStore;
  keys: MemoryApiKeyStore;
}

/** Fresh, empty in-memory stores (unit tests; never used by the running service). */
export function createMemoryStores(): MemoryStores {
  const conversations = new MemoryConversationStore();
  const keys = new MemoryApiKeyStore();
  return {
    conversations,
    keys,
    savedSearches: new MemorySavedSearchStore(),
    audit: new MemoryAuditLog(),
    corrections: new MemoryCorrectionStore(),
    competitorStats: new ScanningCompetitorStats(conversations),
    reports: new MemoryReportStore(),
    close: () => conversations.close(),
  };
}
