/** CorrectionStore on Elasticsearch. Small and human-paced: each write refreshes the index so reads see it. */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { Correction } from '../../domain/correction.js';
import { atMs, encodeCorrectionCursor, normaliseCorrectionQuery } from '../correction-query.js';
import { DuplicateRecordError } from '../errors.js';
import type { CorrectionPage, CorrectionQuery, CorrectionStore } from '../types.js';
import { request, statusOf } from './client.js';

interface CorrectionSource {
  id: string;
  conversationId: string;
  label: string;
  at: number;
  record: Correction;
}

const NEWEST_FIRST: estypes.SortCombinations[] = [{ at: 'desc' }, { id: 'desc' }];
const OLDEST_FIRST: estypes.SortCombinations[] = [{ at: 'asc' }, { id: 'asc' }];
const PAGE = 1000;

export class ElasticsearchCorrectionStore implements CorrectionStore {
  constructor(
    private readonly client: Client,
    readonly alias: string,
  ) {}

  async insert(correction: Correction): Promise<void> {
    const document: CorrectionSource = {
      id: correction.id,
      conversationId: correction.conversationId,
      label: correction.label,
      at: atMs(correction),
      record: correction,
    };
    try {
      await request('insert correction', () =>
        this.client.create({ index: this.alias, id: correction.id, document, refresh: true }),
      );
    } catch (error) {
      if (statusOf(error) === 409) {
        throw new DuplicateRecordError(`a correction with id ${correction.id} exists`, { cause: error });
      }
      throw error;
    }
  }

  async list(query: CorrectionQuery): Promise<CorrectionPage> {
    const q = normaliseCorrectionQuery(query);
    const filter: estypes.QueryDslQueryContainer[] = [];
    if (q.conversationId !== undefined) filter.push({ term: { conversationId: q.conversationId } });
    if (q.label !== undefined) filter.push({ term: { label: q.label } });
    const response = await request('list corrections', () =>
      this.client.search<CorrectionSource>({
        index: this.alias,
        query: { bool: { filter } },
        sort: NEWEST_FIRST,
        size: q.limit + 1,
        ...(q.after !== undefined ? { search_after: [q.after.atMs, q.after.id] } : {}),
      }),
    );
    const hits = response.hits.hits.flatMap((h) => (h._source === undefined ? [] : [h._source.record]));
    const items = hits.slice(0, q.limit);
    const last = items.at(-1);
    return {
      items,
      ...(hits.length > q.limit && last !== undefined
        ? { next: encodeCorrectionCursor({ atMs: atMs(last), id: last.id }) }
        : {}),
    };
  }

  async forConversations(conversationIds: readonly string[]): Promise<Correction[]> {
    const ids = [...new Set(conversationIds)];
    if (ids.length === 0) return [];
    const out: Correction[] = [];
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await request('corrections of conversations', () =>
        this.client.search<CorrectionSource>({
          index: this.alias,
          query: { bool: { filter: [{ terms: { conversationId: ids } }] } },
          sort: OLDEST_FIRST,
          size: PAGE,
          ...(after !== undefined ? { search_after: after } : {}),
        }),
      );
      const hits = response.hits.hits;
      for (const h of hits) if (h._source !== undefined) out.push(h._source.record);
      if (hits.length < PAGE) return out;
      after = hits.at(-1)?.sort;
    }
  }
}
