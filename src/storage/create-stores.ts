/** The one place that picks a store implementation from configuration. */
import { openElasticsearchStores } from './elasticsearch/es-stores.js';
import { openSqliteStores } from './sqlite/sqlite-stores.js';
import type { Stores } from './types.js';

export type StoresConfig =
  { kind: 'sqlite'; dataDir: string } | { kind: 'elasticsearch'; url: string; indexPrefix: string };

/**
 * Opens the configured stores, creating tables, templates and indices when missing (idempotent).
 * Elasticsearch: rejects with StoreUnavailableError when the cluster cannot be reached.
 */
export async function createStores(config: StoresConfig): Promise<Stores> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteStores(config.dataDir);
    case 'elasticsearch':
      return openElasticsearchStores({ url: config.url, indexPrefix: config.indexPrefix });
    default: {
      const kind: unknown = (config as { kind: unknown }).kind;
      throw new Error(`unknown storage kind ${JSON.stringify(kind)}; expected "sqlite" or "elasticsearch"`);
    }
  }
}
