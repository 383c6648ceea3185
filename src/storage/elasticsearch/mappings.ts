/**
 * Index templates. Every index is reached through an alias (`<prefix>conversations`,
 * `<prefix>api-keys`) pointing at a numbered index (`-000001`, ...) created from these templates,
 * so a new index can be built beside the old one and swapped in atomically.
 *
 * The integ-test distribution has no analysis-common module: only built-in analyzers exist. Terms are
 * already normalised (search-query.ts toTerms), so the `whitespace` analyzer just splits them again.
 */
import type { estypes } from '@elastic/elasticsearch';

/** Bump when a mapping changes; recorded in the template and index _meta. */
export const SCHEMA_VERSION = 2;

export interface IndexNames {
  conversations: string;
  apiKeys: string;
  savedSearches: string;
  audit: string;
  corrections: string;
  reports: string;
}

export function indexNames(prefix: string): IndexNames {
  return {
    conversations: `${prefix}conversations`,
    apiKeys: `${prefix}api-keys`,
    savedSearches: `${prefix}saved-searches`,
    audit: `${prefix}audit`,
    corrections: `${prefix}corrections`,
    reports: `${prefix}reports`,
  };
}

/** First concrete index behind an alias. */
export function firstIndexName(alias: string): string {
  return `${alias}-000001`;
}

/** The next numbered index name after `current` (`x-000001` -> `x-000002`). */
export function nextIndexName(alias: string, current: readonly string[]): string {
  const numbers = current
    .map((name) => (name.startsWith(`${alias}-`) ? Number(name.slice(alias.length + 1)) : NaN))
    .filter((n) => Number.isInteger(n));
  const next = numbers.length === 0 ? 1 : Math.max(...numbers) + 1;
  return `${alias}-${String(next).padStart(6, '0')}`;
}

/** The fields of one conversation document in Elasticsearch. `doc` is kept, not indexed. */
export interface ConversationSource {
  id: string;
  startedAt: number;
  channel: string;
  customerId?: string;
  agentId?: string;
  terms: string;
  /** Units (text-query.ts) of each utterance, one array element per utterance, by speaker. */
  customerUnits: string[];
  agentUnits: string[];
  otherUnits: string[];
  labels: string[];
  /** text-query.ts labelKeys: filters and facets. */
  labelKeys: string[];
  utteranceCount: number;
  complaint: boolean;
  sentiment: number;
  pipelineVersion: string;
  processedAt?: number;
  doc: unknown;
}

const SETTINGS: estypes.IndicesIndexSettings = {
  number_of_shards: 1,
  // One replica when a second node exists, none on a single node (which would stay yellow).
  auto_expand_replicas: '0-1',
};

/** Fields added after schema 1; put on existing indices at startup (additive, so always allowed). */
export const SEARCH_FIELDS: Record<string, estypes.MappingProperty> = {
  customerUnits: { type: 'text', analyzer: 'whitespace' },
  agentUnits: { type: 'text', analyzer: 'whitespace' },
  otherUnits: { type: 'text', analyzer: 'whitespace' },
  labelKeys: { type: 'keyword' },
  utteranceCount: { type: 'integer' },
};

export function conversationTemplate(alias: string): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${alias}-template`,
    index_patterns: [`${alias}-*`],
    priority: 200,
    _meta: { owner: 'voc-bank', schemaVersion: SCHEMA_VERSION },
    template: {
      settings: SETTINGS,
      mappings: {
        dynamic: 'strict',
        _meta: { schemaVersion: SCHEMA_VERSION },
        properties: {
          id: { type: 'keyword' },
          startedAt: { type: 'date' },
          channel: { type: 'keyword' },
          customerId: { type: 'keyword' },
          agentId: { type: 'keyword' },
          terms: { type: 'text', analyzer: 'whitespace' },
          labels: { type: 'keyword' },
          ...SEARCH_FIELDS,
          complaint: { type: 'boolean' },
          sentiment: { type: 'float' },
          pipelineVersion: { type: 'keyword' },
          processedAt: { type: 'date' },
          doc: { type: 'object', enabled: false },
        },
      },
    },
  };
}

export function apiKeyTemplate(alias: string): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${alias}-template`,
    index_patterns: [`${alias}-*`],
    priority: 200,
    _meta: { owner: 'voc-bank', schemaVersion: SCHEMA_VERSION },
    template: {
      settings: SETTINGS,
      mappings: {
        dynamic: 'strict',
        properties: {
          id: { type: 'keyword' },
          name: { type: 'keyword' },
          role: { type: 'keyword' },
          hash: { type: 'keyword' },
          createdAt: { type: 'date' },
          revokedAt: { type: 'date' },
        },
      },
    },
  };
}

/** A small strict index: saved searches, the audit log and corrections keep their record under `record`. */
export function recordTemplate(
  alias: string,
  properties: Record<string, estypes.MappingProperty>,
): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: `${alias}-template`,
    index_patterns: [`${alias}-*`],
    priority: 200,
    _meta: { owner: 'voc-bank', schemaVersion: SCHEMA_VERSION },
    template: {
      settings: SETTINGS,
      mappings: {
        dynamic: 'strict',
        properties: { ...properties, record: { type: 'object', enabled: false } },
      },
    },
  };
}
