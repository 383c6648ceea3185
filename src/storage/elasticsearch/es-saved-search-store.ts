/** SavedSearchStore and AuditLog on Elasticsearch. Both are small; writes refresh so reads see them. */
import type { Client } from '@elastic/elasticsearch';
import { DuplicateRecordError } from '../errors.js';
import { parseInstant } from '../search-query.js';
import type { AuditEntry, AuditLog, SavedSearch, SavedSearchStore } from '../types.js';
import { request, statusOf } from './client.js';

interface SavedSource {
  id: string;
  owner: string;
  /** Absent in documents saved before sharing existed (schema of issue 12): private. */
  shared?: boolean;
  createdAt: number;
  record: SavedSearch;
}

/** A record saved before sharing existed has neither field: it stays private to its owner. */
function fromSource(source: SavedSource): SavedSearch {
  return { ...source.record, ownerName: source.record.ownerName ?? '', shared: source.shared === true };
}

export class ElasticsearchSavedSearchStore implements SavedSearchStore {
  constructor(
    private readonly client: Client,
    readonly alias: string,
  ) {}

  async insert(search: SavedSearch): Promise<void> {
    const document: SavedSource = {
      id: search.id,
      owner: search.owner,
      shared: search.shared,
      createdAt: parseInstant(search.createdAt) ?? 0,
      record: search,
    };
    try {
      await request('save search', () =>
        this.client.create({ index: this.alias, id: search.id, document, refresh: true }),
      );
    } catch (error) {
      if (statusOf(error) === 409) {
        throw new DuplicateRecordError(`a saved search with id ${search.id} exists`, { cause: error });
      }
      throw error;
    }
  }

  async listByOwner(owner: string): Promise<SavedSearch[]> {
    const response = await request('list saved searches', () =>
      this.client.search<SavedSource>({
        index: this.alias,
        query: { term: { owner } },
        sort: [{ createdAt: 'desc' }, { id: 'desc' }],
        size: 1000,
      }),
    );
    return response.hits.hits.flatMap((h) => (h._source === undefined ? [] : [fromSource(h._source)]));
  }

  async listVisible(owner: string): Promise<SavedSearch[]> {
    const response = await request('list visible saved searches', () =>
      this.client.search<SavedSource>({
        index: this.alias,
        query: {
          bool: { should: [{ term: { owner } }, { term: { shared: true } }], minimum_should_match: 1 },
        },
        sort: [{ createdAt: 'desc' }, { id: 'desc' }],
        size: 1000,
      }),
    );
    return response.hits.hits.flatMap((h) => (h._source === undefined ? [] : [fromSource(h._source)]));
  }

  async setShared(id: string, shared: boolean): Promise<boolean> {
    // The flag lives twice: the indexed field lists it, the record gives it back.
    const response = await request('share saved search', () =>
      this.client.update(
        { index: this.alias, id, doc: { shared, record: { shared } }, refresh: true },
        { ignore: [404] },
      ),
    );
    return response.result === 'updated' || response.result === 'noop';
  }

  async get(id: string): Promise<SavedSearch | undefined> {
    const response = await request('get saved search', () =>
      this.client.get<SavedSource>({ index: this.alias, id }, { ignore: [404] }),
    );
    return response.found && response._source !== undefined ? fromSource(response._source) : undefined;
  }

  async delete(id: string): Promise<boolean> {
    const response = await request('delete saved search', () =>
      this.client.delete({ index: this.alias, id, refresh: true }, { ignore: [404] }),
    );
    return response.result === 'deleted';
  }
}

interface AuditSource {
  id: string;
  at: number;
  actor: string;
  action: string;
  record: AuditEntry;
}

export class ElasticsearchAuditLog implements AuditLog {
  constructor(
    private readonly client: Client,
    readonly alias: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    const document: AuditSource = {
      id: entry.id,
      at: parseInstant(entry.at) ?? Date.now(),
      actor: entry.actor,
      action: entry.action,
      record: entry,
    };
    // create (not index): an audit entry is never overwritten.
    try {
      await request('append audit entry', () =>
        this.client.create({ index: this.alias, id: entry.id, document, refresh: 'wait_for' }),
      );
    } catch (error) {
      if (statusOf(error) === 409) {
        throw new DuplicateRecordError(`an audit entry with id ${entry.id} exists`, { cause: error });
      }
      throw error;
    }
  }

  async list(limit: number): Promise<AuditEntry[]> {
    const response = await request('list audit entries', () =>
      this.client.search<AuditSource>({
        index: this.alias,
        sort: [{ at: 'desc' }, { id: 'desc' }],
        size: limit,
      }),
    );
    return response.hits.hits.flatMap((h) => (h._source === undefined ? [] : [h._source.record]));
  }
}
