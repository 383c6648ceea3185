/** ApiKeyStore on Elasticsearch. Keys are few and rarely written: every write refreshes the index. */
import type { Client } from '@elastic/elasticsearch';
import { DuplicateRecordError } from '../errors.js';
import type { ApiKeyRecord, ApiKeyStore } from '../types.js';
import { request, statusOf } from './client.js';

export class ElasticsearchApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly client: Client,
    readonly alias: string,
  ) {}

  async insert(record: ApiKeyRecord): Promise<void> {
    if ((await this.findByHash(record.hash)) !== undefined) {
      throw new DuplicateRecordError('an API key with that hash exists');
    }
    try {
      // The key must authenticate as soon as insert resolves, and lookups by hash are searches.
      await request('insert API key', () =>
        this.client.create({ index: this.alias, id: record.id, document: record, refresh: true }),
      );
    } catch (error) {
      if (statusOf(error) === 409)
        throw new DuplicateRecordError(`an API key with id ${record.id} exists`, { cause: error });
      throw error;
    }
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const response = await request('find API key', () =>
      this.client.search<ApiKeyRecord>({ index: this.alias, query: { term: { hash } }, size: 1 }),
    );
    return response.hits.hits[0]?._source;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const response = await request('list API keys', () =>
      this.client.search<ApiKeyRecord>({
        index: this.alias,
        sort: [{ createdAt: 'asc' }, { id: 'asc' }],
        size: 10_000,
      }),
    );
    return response.hits.hits.flatMap((hit) => (hit._source === undefined ? [] : [hit._source]));
  }

  async revoke(id: string, at: string): Promise<boolean> {
    for (;;) {
      const current = await request('get API key', () =>
        this.client.get<ApiKeyRecord>({ index: this.alias, id }, { ignore: [404] }),
      );
      if (!current.found) return false;
      // The first revocation time is kept: revoking twice must not move the audit trail.
      if (current._source?.revokedAt !== undefined) return true;
      try {
        await request('revoke API key', () =>
          this.client.update({
            index: this.alias,
            id,
            doc: { revokedAt: at },
            if_seq_no: current._seq_no,
            if_primary_term: current._primary_term,
            refresh: true,
          }),
        );
        return true;
      } catch (error) {
        // Someone else changed the key between our read and write: read again.
        if (statusOf(error) !== 409) throw error;
      }
    }
  }
}
