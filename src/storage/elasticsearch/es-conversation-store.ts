/** ConversationStore on Elasticsearch: the distributed mode. Reads and writes go through the alias. */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { StoreUnavailableError, StoreWriteError, describeFailures, type WriteFailure } from '../errors.js';
import {
  documentTerms,
  encodeCursor,
  invalidDocumentReason,
  normaliseQuery,
  parseInstant,
  type Cursor,
  type NormalisedQuery,
} from '../search-query.js';
import { labelKeys, simplifyTextQuery, speakerField, utteranceUnits } from '../text-query.js';
import type { ConversationPage, ConversationQuery, ConversationStore } from '../types.js';
import { RETRYABLE_STATUSES, request } from './client.js';
import { aliasTargets, createIndexAndSwapAlias } from './index-admin.js';
import {
  aggregations,
  filtersToQueries,
  readFacets,
  readHistogram,
  requestCacheable,
  textToQuery,
} from './es-search.js';
import { nextIndexName, type ConversationSource } from './mappings.js';
import { disjunctiveRequest, readDisjunctive } from './es-facets.js';
import { selectedFacets, withoutFacets } from '../facet-filters.js';

/** Documents per bulk request: keeps requests well under the default 100 MB http.max_content_length. */
const BULK_CHUNK = 500;

export class ElasticsearchConversationStore implements ConversationStore {
  constructor(
    private readonly client: Client,
    /** The alias (`<prefix>conversations`), never a concrete index. */
    readonly alias: string,
  ) {}

  async upsertMany(docs: ProcessedConversation[]): Promise<void> {
    const failures: WriteFailure[] = [];
    const valid: ProcessedConversation[] = [];
    for (const doc of docs) {
      const reason = invalidDocumentReason(doc);
      if (reason === undefined) valid.push(doc);
      else failures.push({ id: String(doc.conversation?.id), status: 400, reason });
    }
    for (let i = 0; i < valid.length; i += BULK_CHUNK) {
      failures.push(...(await this.bulk(valid.slice(i, i + BULK_CHUNK))));
    }
    if (failures.length === 0) return;
    if (failures.every((f) => RETRYABLE_STATUSES.has(f.status))) {
      throw new StoreUnavailableError(`Elasticsearch refused, retry later: ${describeFailures(failures)}`, {
        failedIds: failures.map((f) => f.id),
      });
    }
    throw new StoreWriteError(failures);
  }

  /** One bulk request; returns the items Elasticsearch rejected. */
  private async bulk(docs: ProcessedConversation[], index = this.alias): Promise<WriteFailure[]> {
    // The upload sequence is the document's external version: a lower one is refused by Elasticsearch
    // itself (409), so an older upload whose job runs last cannot replace the newer document.
    const operations = docs.flatMap((doc) => [
      {
        index: {
          _index: index,
          _id: doc.conversation.id,
          ...(doc.uploadSeq !== undefined
            ? { version: doc.uploadSeq, version_type: 'external_gte' as const }
            : {}),
        },
      },
      toSource(doc),
    ]);
    const response = await request('bulk index', () => this.client.bulk({ operations }));
    if (!response.errors) return [];
    const failures: WriteFailure[] = [];
    response.items.forEach((item, i) => {
      const result = item.index;
      if (result?.error === undefined) return;
      if (result.status === 409 && result.error.type === 'version_conflict_engine_exception') return; // a later upload won
      failures.push({
        id: result._id ?? docs[i]?.conversation.id ?? '?',
        status: result.status,
        reason: `${result.error.type}: ${result.error.reason ?? ''}`,
      });
    });
    return failures;
  }

  async get(id: string): Promise<ProcessedConversation | undefined> {
    const response = await request('get', () =>
      this.client.get<Pick<ConversationSource, 'doc'>>(
        { index: this.alias, id, _source_includes: ['doc'] },
        { ignore: [404] },
      ),
    );
    return response.found ? (response._source?.doc as ProcessedConversation) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<(ProcessedConversation | undefined)[]> {
    if (ids.length === 0) return [];
    const response = await request('mget', () =>
      this.client.mget<Pick<ConversationSource, 'doc'>>(
        { index: this.alias, ids: [...ids], _source_includes: ['doc'] },
        { ignore: [404] },
      ),
    );
    const docs = response.docs ?? [];
    return ids.map((_, i) => {
      const item = docs[i];
      if (item && 'error' in item) {
        throw new StoreUnavailableError(
          `Elasticsearch could not read conversation ${item._id}: ${item.error.reason ?? item.error.type}; the job will retry`,
        );
      }
      return item?.found ? (item._source?.doc as ProcessedConversation) : undefined;
    });
  }

  async search(query: ConversationQuery): Promise<ConversationPage> {
    const q = normaliseQuery(query);
    // Facet selections go to post_filter so each selected facet can count without its own selection.
    const selected = query.facets === true ? selectedFacets(query) : [];
    const base = withoutFacets(query, selected);
    const disjunctive =
      selected.length > 0 ? disjunctiveRequest(query, selected, query.histogram) : undefined;
    const response = await request('search', () =>
      this.client.search<Pick<ConversationSource, 'doc'>>({
        index: this.alias,
        query: toQuery({ ...q, channel: base.channel }, base),
        ...(disjunctive !== undefined
          ? { post_filter: disjunctive.postFilter, aggs: disjunctive.aggs }
          : { aggs: aggregations(query.facets === true, query.histogram) }),
        sort: q.sort === 'relevance' ? RELEVANCE_SORT : TIME_SORT,
        search_after: afterValues(q.after),
        size: q.limit + 1,
        track_total_hits: true,
        ...(requestCacheable(query) ? { request_cache: true } : {}),
        _source: ['doc'],
      }),
    );
    const total = response.hits.total;
    const page = response.hits.hits.slice(0, q.limit);
    const last = page.at(-1);
    return {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      hits: page.map((hit) => ({
        id: hit._id ?? '',
        score: q.sort === 'relevance' ? (hit._score ?? 0) : 0,
        document: hit._source?.doc as ProcessedConversation,
      })),
      next:
        response.hits.hits.length > q.limit && last !== undefined
          ? encodeCursor(cursorOf(q.sort, last))
          : undefined,
      ...(disjunctive !== undefined
        ? readDisjunctive(response.aggregations, selected, query.histogram !== undefined)
        : {
            ...(query.facets === true ? { facets: readFacets(response.aggregations) } : {}),
            ...(query.histogram !== undefined ? { histogram: readHistogram(response.aggregations) } : {}),
          }),
    };
  }

  /**
   * Fills a new index beside the current one with every document rewritten, then swaps the alias
   * atomically and deletes the old index. The old index is write-blocked meanwhile: ingest jobs that
   * hit the block fail and retry with backoff, landing in the new index after the swap. Leftovers of an
   * interrupted rebuild (indices not behind the alias) are deleted first.
   */
  async rebuild(rewrite: (docs: ProcessedConversation[]) => Promise<ProcessedConversation[]>): Promise<void> {
    const previous = await aliasTargets(this.client, this.alias);
    const existing = Object.keys(
      await request('list indices', () =>
        this.client.indices.get({ index: `${this.alias}-*`, expand_wildcards: 'all' }),
      ),
    );
    const leftovers = existing.filter((name) => !previous.includes(name));
    if (leftovers.length)
      await request('delete leftovers', () => this.client.indices.delete({ index: leftovers }));
    const setWriteBlock = (blocked: boolean) =>
      request('write block', () =>
        this.client.indices.putSettings({ index: previous, settings: { 'index.blocks.write': blocked } }),
      );
    await setWriteBlock(true);
    try {
      await createIndexAndSwapAlias(this.client, {
        alias: this.alias,
        index: nextIndexName(this.alias, existing),
        deleteOld: true,
        populate: async (target) => {
          let after: string | undefined;
          do {
            const page = await this.search({
              tokens: [],
              sort: 'time',
              limit: 500,
              ...(after ? { after } : {}),
            });
            const failures = await this.bulk(await rewrite(page.hits.map((h) => h.document)), target);
            if (failures.length) throw new StoreWriteError(failures);
            after = page.next;
          } while (after);
        },
      });
    } catch (err) {
      await setWriteBlock(false).catch(() => undefined);
      throw err;
    }
  }

  async count(): Promise<number> {
    const response = await request('count', () => this.client.count({ index: this.alias }));
    return response.count;
  }

  async refresh(): Promise<void> {
    await request('refresh', () => this.client.indices.refresh({ index: this.alias }));
  }

  async ping(): Promise<void> {
    const exists = await request('ping', () => this.client.indices.exists({ index: this.alias }));
    if (!exists) throw new StoreUnavailableError(`Elasticsearch has no index or alias ${this.alias}`);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

const TIME_SORT: estypes.SortCombinations[] = [{ startedAt: 'desc' }, { id: 'asc' }];
const RELEVANCE_SORT: estypes.SortCombinations[] = [{ _score: { order: 'desc' } }, ...TIME_SORT];

function toQuery(q: NormalisedQuery, query: ConversationQuery): estypes.QueryDslQueryContainer {
  const { filter, mustNot } = filtersToQueries(query.filters);
  const text = simplifyTextQuery(query.text);
  const must: estypes.QueryDslQueryContainer[] = q.terms.map((term) => ({ term: { terms: term } }));
  if (text !== undefined) must.push(textToQuery(text));
  if (q.channel !== undefined) filter.push({ term: { channel: q.channel } });
  if (q.fromMs !== undefined || q.toMs !== undefined) {
    filter.push({ range: { startedAt: { gte: q.fromMs, lte: q.toMs, format: 'epoch_millis' } } });
  }
  // Terms are normalised already; term queries skip analysis and cannot hit query-syntax parsing.
  return { bool: { must, filter, must_not: mustNot } };
}

function afterValues(after: Cursor | undefined): estypes.SortResults | undefined {
  if (after === undefined) return undefined;
  return after.sort === 'relevance'
    ? [after.score, after.startedAtMs, after.id]
    : [after.startedAtMs, after.id];
}

function cursorOf(sort: NormalisedQuery['sort'], hit: estypes.SearchHit<unknown>): Cursor {
  const values = hit.sort ?? [];
  if (sort === 'relevance') {
    return { sort, score: Number(values[0]), startedAtMs: Number(values[1]), id: String(values[2]) };
  }
  return { sort, startedAtMs: Number(values[0]), id: String(values[1]) };
}

function toSource(doc: ProcessedConversation): ConversationSource {
  const c = doc.conversation;
  const a = doc.analysis;
  const labels = [
    ...a.complaint.categories.map((x) => `complaint:${x}`),
    ...a.complaint.escalation.map((x) => `escalation:${x}`),
    ...a.competitors.map((x) => `competitor:${x.id}`),
    ...a.competitors.filter((x) => x.switchingIntent).map((x) => `switchingIntent:${x.id}`),
    ...a.needs.map((x) => `need:${x}`),
    ...a.declinedNeeds.map((x) => `declinedNeed:${x}`),
    ...a.lifeEvents.map((x) => `lifeEvent:${x}`),
  ];
  const source: ConversationSource = {
    id: c.id,
    startedAt: parseInstant(c.startedAt) ?? 0,
    channel: c.channel,
    terms: documentTerms(doc).join(' '),
    customerUnits: [],
    agentUnits: [],
    otherUnits: [],
    labels,
    labelKeys: labelKeys(doc),
    utteranceCount: c.utterances.length,
    complaint: a.complaint.is,
    sentiment: a.sentiment.customer,
    pipelineVersion: doc.versions.pipeline,
    doc,
  };
  utteranceUnits(doc).forEach((units, i) => {
    if (units.length === 0) return;
    const field = speakerField(c.utterances[i]?.speaker ?? 'other');
    source[`${field}Units`].push(units.join(' '));
  });
  if (c.customerId !== undefined) source.customerId = c.customerId;
  if (c.agentId !== undefined) source.agentId = c.agentId;
  const processedAt = parseInstant(doc.processedAt);
  if (processedAt !== undefined) source.processedAt = processedAt;
  return source;
}
