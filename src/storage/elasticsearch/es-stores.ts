import type { Stores } from '../types.js';
import { createElasticsearchClient, request } from './client.js';
import { ElasticsearchCompetitorStats } from './es-competitor-stats.js';
import { ElasticsearchReportStore } from './es-report-store.js';
import { ElasticsearchApiKeyStore } from './es-api-key-store.js';
import { ElasticsearchConversationStore } from './es-conversation-store.js';
import { ElasticsearchCorrectionStore } from './es-correction-store.js';
import { ElasticsearchAuditLog, ElasticsearchSavedSearchStore } from './es-saved-search-store.js';
import { ensureAlias, putTemplate } from './index-admin.js';
import {
  SEARCH_FIELDS,
  apiKeyTemplate,
  conversationTemplate,
  indexNames,
  recordTemplate,
} from './mappings.js';

export interface ElasticsearchStoreConfig {
  url: string;
  /** Prepended to every index, alias and template name, e.g. "voc-". */
  indexPrefix: string;
}

const SAVED_SEARCH_SHARING = { shared: { type: 'boolean' as const } };

const PREFIX = /^$|^[a-z0-9][a-z0-9._-]*$/;

/**
 * Connects, then creates or updates the templates and the aliases with their first index
 * (idempotent). Throws StoreUnavailableError when the cluster cannot be reached.
 */
export async function openElasticsearchStores(config: ElasticsearchStoreConfig): Promise<Stores> {
  if (!PREFIX.test(config.indexPrefix)) {
    throw new Error(
      `index prefix "${config.indexPrefix}" must be lowercase letters, digits, ".", "_" or "-"`,
    );
  }
  const client = createElasticsearchClient(config.url);
  try {
    // GET / needs the rest-root module, which the integ-test distribution lacks; health is core.
    await request(`connect to ${redact(config.url)}`, () => client.cluster.health({ timeout: '10s' }));
    const names = indexNames(config.indexPrefix);
    await putTemplate(client, conversationTemplate(names.conversations));
    await putTemplate(client, apiKeyTemplate(names.apiKeys));
    await putTemplate(
      client,
      recordTemplate(names.savedSearches, {
        id: { type: 'keyword' },
        owner: { type: 'keyword' },
        ...SAVED_SEARCH_SHARING,
        createdAt: { type: 'date' },
      }),
    );
    await putTemplate(
      client,
      recordTemplate(names.audit, {
        id: { type: 'keyword' },
        at: { type: 'date' },
        actor: { type: 'keyword' },
        action: { type: 'keyword' },
      }),
    );
    await putTemplate(
      client,
      recordTemplate(names.corrections, {
        id: { type: 'keyword' },
        conversationId: { type: 'keyword' },
        label: { type: 'keyword' },
        at: { type: 'date' },
      }),
    );
    await putTemplate(
      client,
      recordTemplate(names.reports, {
        id: { type: 'keyword' },
        from: { type: 'date' },
        pdf: { type: 'binary' },
      }),
    );
    await Promise.all(
      [
        names.conversations,
        names.apiKeys,
        names.savedSearches,
        names.audit,
        names.corrections,
        names.reports,
      ].map((alias) => ensureAlias(client, alias)),
    );
    // Indices created before the search fields existed get them now (adding fields is always allowed;
    // their documents are searchable by the new fields once re-indexed).
    await request('add search fields', () =>
      client.indices.putMapping({ index: names.conversations, properties: SEARCH_FIELDS }),
    );
    // Saved-search indices created before sharing existed get the flag (an added field is allowed
    // in a strict mapping; their documents lack it and stay private).
    await request('add saved-search sharing', () =>
      client.indices.putMapping({ index: names.savedSearches, properties: SAVED_SEARCH_SHARING }),
    );
    const conversations = new ElasticsearchConversationStore(client, names.conversations);
    // Conversations of the single index of before monthly indices move into their month indices
    // (once; a no-op when it is empty, as after the first start).
    await conversations.migrateLegacy();
    return {
      conversations,
      keys: new ElasticsearchApiKeyStore(client, names.apiKeys),
      savedSearches: new ElasticsearchSavedSearchStore(client, names.savedSearches),
      audit: new ElasticsearchAuditLog(client, names.audit),
      corrections: new ElasticsearchCorrectionStore(client, names.corrections),
      competitorStats: new ElasticsearchCompetitorStats(client, names.conversations),
      reports: new ElasticsearchReportStore(client, names.reports),
      close: () => conversations.close(),
    };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/** The URL without credentials, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
