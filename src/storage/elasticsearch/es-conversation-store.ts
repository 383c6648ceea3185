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
import { RETRYABLE_STATUSES, request, statusOf } from './client.js';
import { aliasTargets } from './index-admin.js';
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

/** Asia/Shanghai has no daylight saving: a month there is a UTC month shifted by 8 hours. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** `YYYY.MM` of an instant (epoch ms) in Asia/Shanghai; undated conversations (0) fall in 1970.01. */
export function monthOf(epochMs: number): string {
  const d = new Date(epochMs + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

const MONTH_ALIAS = /-(\d{4}\.\d{2})$/;

/** Where one copy of a conversation lives. */
interface Copy {
  id: string;
  index: string;
  version: number;
}

/**
 * The concrete indices behind the read alias, each with the month whose write alias it carries
 * (undefined for the single index of before monthly indices, kept as the alias's anchor).
 */
type Targets = Map<string, string | undefined>;

/**
 * Conversations live in one index per month of their start (Asia/Shanghai): `<alias>-YYYY.MM-000001`,
 * created on first write from the conversation template. Every month index is behind the read alias
 * (`<alias>`, which search, count and the other stores use) and behind its month's write alias
 * (`<alias>-YYYY.MM`), which every write names with `require_alias`, so a write never auto-creates a
 * stray index and always reaches the month's current generation (a rebuild swaps both aliases at once).
 * A conversation whose start moved to another month is written to the new month and its copy in the
 * old one is deleted in the same call; reads look in every index behind the alias (real-time mget).
 * The index the alias pointed at before monthly indices (`<alias>-000001`) stays behind it as an anchor
 * (so the alias exists before the first write) and is emptied into the months by migrateLegacy().
 */
export class ElasticsearchConversationStore implements ConversationStore {
  /** Months whose write alias is known to exist. */
  private readonly months = new Set<string>();

  constructor(
    private readonly client: Client,
    /** The read alias (`<prefix>conversations`), never a concrete index. */
    readonly alias: string,
  ) {}

  /** The write alias of a month. */
  monthAlias(month: string): string {
    return `${this.alias}-${month}`;
  }

  async upsertMany(docs: ProcessedConversation[]): Promise<void> {
    const failures: WriteFailure[] = [];
    const valid: ProcessedConversation[] = [];
    for (const doc of docs) {
      const reason = invalidDocumentReason(doc);
      if (reason === undefined) valid.push(doc);
      else failures.push({ id: String(doc.conversation?.id), status: 400, reason });
    }
    for (let i = 0; i < valid.length; i += BULK_CHUNK) {
      const chunk = valid.slice(i, i + BULK_CHUNK);
      const chunkFailures = await this.bulkByMonth(chunk);
      failures.push(...chunkFailures);
      const failed = new Set(chunkFailures.map((f) => f.id));
      await this.removeOtherCopies(chunk.filter((doc) => !failed.has(doc.conversation.id)));
    }
    if (failures.length === 0) return;
    if (failures.every((f) => RETRYABLE_STATUSES.has(f.status))) {
      throw new StoreUnavailableError(`Elasticsearch refused, retry later: ${describeFailures(failures)}`, {
        failedIds: failures.map((f) => f.id),
      });
    }
    throw new StoreWriteError(failures);
  }

  /** Writes each document to its month's write alias, creating months that do not exist yet. */
  private async bulkByMonth(docs: ProcessedConversation[]): Promise<WriteFailure[]> {
    const monthOfDoc = (doc: ProcessedConversation) => monthOf(parseInstant(doc.conversation.startedAt) ?? 0);
    for (const month of new Set(docs.map(monthOfDoc))) {
      if (!this.months.has(month)) await this.ensureMonth(month);
    }
    const failures = await this.bulk(docs, (doc) => this.monthAlias(monthOfDoc(doc)), true);
    // A month created by this process but removed since (an index deleted by hand): create and retry once.
    const missing = failures.filter((f) => f.status === 404);
    if (missing.length === 0) return failures;
    const retry = docs.filter((doc) => missing.some((f) => f.id === doc.conversation.id));
    for (const month of new Set(retry.map(monthOfDoc))) await this.ensureMonth(month, true);
    return [
      ...failures.filter((f) => f.status !== 404),
      ...(await this.bulk(retry, (doc) => this.monthAlias(monthOfDoc(doc)), true)),
    ];
  }

  /** Creates the month's first index behind the read alias and the month's write alias (idempotent). */
  private async ensureMonth(month: string, force = false): Promise<void> {
    const writeAlias = this.monthAlias(month);
    if (!force && (await aliasTargets(this.client, writeAlias)).length > 0) {
      this.months.add(month);
      return;
    }
    let started = false;
    try {
      const created = await request(`create index for ${writeAlias}`, () =>
        this.client.indices.create({
          index: `${writeAlias}-000001`,
          aliases: { [this.alias]: {}, [writeAlias]: { is_write_index: true } },
        }),
      );
      started = created.shards_acknowledged;
    } catch (error) {
      // resource_already_exists_exception: another process created it first.
      if (statusOf(error) !== 400 || (await aliasTargets(this.client, writeAlias)).length === 0) throw error;
    }
    // The new index joins the read alias at once: until its primary shard has started, a search over
    // the alias fails with "No shard available" (another process's fresh month, or a slow allocation).
    if (!started) await this.waitForPrimary(writeAlias);
    this.months.add(month);
  }

  private async waitForPrimary(index: string): Promise<void> {
    const health = await request(`wait for ${index}`, () =>
      this.client.cluster.health({ index, wait_for_status: 'yellow', timeout: '30s' }),
    );
    if (health.timed_out)
      throw new StoreUnavailableError(
        `Elasticsearch did not start the primary shard of ${index} within 30 s (cluster status ${health.status}); check GET _cluster/allocation/explain`,
      );
  }

  /** One bulk request per chunk; returns the items Elasticsearch rejected. */
  private async bulk(
    docs: ProcessedConversation[],
    indexOf: (doc: ProcessedConversation) => string,
    requireAlias: boolean,
  ): Promise<WriteFailure[]> {
    // The upload sequence is the document's external version: a lower one is refused by Elasticsearch
    // itself (409), so an older upload whose job runs last cannot replace the newer document.
    const operations = docs.flatMap((doc) => [
      {
        index: {
          _index: indexOf(doc),
          _id: doc.conversation.id,
          ...(requireAlias ? { require_alias: true } : {}),
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

  /** The indices behind the read alias and the month each one is written for. */
  private async targets(): Promise<Targets> {
    const response = await request(`get alias ${this.alias}`, () =>
      this.client.indices.getAlias({ index: this.alias }, { ignore: [404] }),
    );
    const targets: Targets = new Map();
    for (const [index, entry] of Object.entries(response)) {
      if (index === 'error' || index === 'status') continue;
      const aliases = Object.keys((entry as { aliases?: Record<string, unknown> }).aliases ?? {});
      const month = aliases
        .filter((a) => a.startsWith(`${this.alias}-`))
        .map((a) => MONTH_ALIAS.exec(a)?.[1])
        .find((m) => m !== undefined);
      targets.set(index, month);
    }
    return targets;
  }

  /** Every copy of each id in any index behind the alias (real-time, so unrefreshed writes count). */
  private async copies(ids: readonly string[], targets: Targets, withSource: boolean) {
    const indices = [...targets.keys()];
    if (ids.length === 0 || indices.length === 0) return [];
    const response = await request('mget', () =>
      this.client.mget<Pick<ConversationSource, 'doc'>>({
        docs: ids.flatMap((id) => indices.map((index) => ({ _index: index, _id: id }))),
        _source: withSource ? ['doc'] : false,
      }),
    );
    return response.docs.map((item) => {
      if ('error' in item) {
        throw new StoreUnavailableError(
          `Elasticsearch could not read conversation ${item._id}: ${item.error.reason ?? item.error.type}; the job will retry`,
        );
      }
      return item;
    });
  }

  /**
   * After a write: a conversation whose start moved to another month has a copy in the old month.
   * The copy with the highest upload sequence wins (the written month on a tie, and always when the
   * document has no sequence); the others are deleted, conditionally on their version, so a
   * concurrent newer write is never removed.
   */
  private async removeOtherCopies(docs: ProcessedConversation[]): Promise<void> {
    if (docs.length === 0) return;
    const targets = await this.targets();
    if (targets.size < 2) return;
    const found = new Map<string, Copy[]>();
    for (const item of await this.copies(
      docs.map((d) => d.conversation.id),
      targets,
      false,
    )) {
      if (!item.found) continue;
      const list = found.get(item._id) ?? [];
      list.push({ id: item._id, index: item._index, version: item._version ?? 0 });
      found.set(item._id, list);
    }
    const operations: object[] = [];
    for (const doc of docs) {
      const list = found.get(doc.conversation.id) ?? [];
      if (list.length < 2) continue;
      const month = monthOf(parseInstant(doc.conversation.startedAt) ?? 0);
      const home = (copy: Copy) => (targets.get(copy.index) === month ? 1 : 0);
      const external = doc.uploadSeq !== undefined;
      const winner = list.reduce((best, copy) =>
        (external && copy.version > best.version) ||
        ((!external || copy.version === best.version) && home(copy) > home(best))
          ? copy
          : best,
      );
      for (const copy of list) {
        if (copy === winner) continue;
        operations.push({
          delete: {
            _index: copy.index,
            _id: copy.id,
            ...(external ? { version: winner.version, version_type: 'external_gte' } : {}),
          },
        });
      }
    }
    if (operations.length === 0) return;
    const response = await request('bulk delete moved copies', () => this.client.bulk({ operations }));
    const failures: WriteFailure[] = [];
    for (const item of response.items) {
      const result = item.delete;
      if (result?.error === undefined || result.status === 404 || result.status === 409) continue;
      failures.push({ id: result._id ?? '?', status: result.status, reason: result.error.type });
    }
    if (failures.length > 0) throw new StoreWriteError(failures);
  }

  async get(id: string): Promise<ProcessedConversation | undefined> {
    return (await this.getMany([id]))[0];
  }

  async getMany(ids: readonly string[]): Promise<(ProcessedConversation | undefined)[]> {
    if (ids.length === 0) return [];
    const best = new Map<string, { version: number; doc: ProcessedConversation }>();
    for (const item of await this.copies(ids, await this.targets(), true)) {
      if (!item.found || item._source === undefined) continue;
      const version = item._version ?? 0;
      const current = best.get(item._id);
      // Two copies exist only between a move's write and its delete: the newer one is the answer.
      if (current === undefined || version > current.version) {
        best.set(item._id, { version, doc: item._source.doc as ProcessedConversation });
      }
    }
    return ids.map((id) => best.get(id)?.doc);
  }

  /**
   * Moves the documents of the index from before monthly indices (the alias's anchor) into their
   * months, page by page; each one is written to its month, then its old copy deleted (as for a
   * conversation whose start moved). Safe to repeat and to interrupt. Returns how many moved.
   */
  async migrateLegacy(): Promise<number> {
    let moved = 0;
    for (const [index, month] of await this.targets()) {
      if (month !== undefined) continue;
      await request(`refresh ${index}`, () => this.client.indices.refresh({ index }));
      for await (const docs of this.scan(index)) {
        await this.upsertMany(docs);
        moved += docs.length;
      }
    }
    return moved;
  }

  /** Every document of one concrete index, in pages of 500, by start then id. */
  private async *scan(index: string): AsyncGenerator<ProcessedConversation[]> {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const response = await request(`scan ${index}`, () =>
        this.client.search<Pick<ConversationSource, 'doc'>>({
          index,
          query: { match_all: {} },
          sort: [{ startedAt: 'asc' }, { id: 'asc' }],
          ...(after !== undefined ? { search_after: after } : {}),
          size: 500,
          track_total_hits: false,
          _source: ['doc'],
        }),
      );
      const hits = response.hits.hits;
      if (hits.length === 0) return;
      yield hits.map((hit) => hit._source?.doc as ProcessedConversation);
      after = hits.at(-1)?.sort;
    }
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
   * Month by month, fills a new generation of each month index (`<alias>-YYYY.MM-00000N+1`) beside the
   * current one with every document rewritten, then swaps the read alias and every month's write alias
   * in one atomic call and deletes the old generations: search sees the old analysis or the new one,
   * never a mix. The old month indices are write-blocked meanwhile, so ingest jobs retry with backoff
   * and land in the new generation after the swap (a month that did not exist yet is created and
   * written at once; its documents are at the current versions already). Documents still in the index
   * of before monthly indices are moved into their months first. Leftovers of an interrupted rebuild
   * (indices behind no alias) are deleted first.
   */
  async rebuild(rewrite: (docs: ProcessedConversation[]) => Promise<ProcessedConversation[]>): Promise<void> {
    await this.migrateLegacy();
    const targets = await this.targets();
    const existing = Object.keys(
      await request('list indices', () =>
        this.client.indices.get({ index: `${this.alias}-*`, expand_wildcards: 'all' }),
      ),
    );
    const leftovers = existing.filter((name) => !targets.has(name));
    for (let i = 0; i < leftovers.length; i += 20) {
      const names = leftovers.slice(i, i + 20);
      await request('delete leftovers', () => this.client.indices.delete({ index: names }));
    }
    const plan = [...targets]
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([old, month]) => ({ old, month, next: nextIndexName(this.monthAlias(month), [old]) }))
      .sort((a, b) => a.month.localeCompare(b.month));
    if (plan.length === 0) return;
    const setWriteBlock = (blocked: boolean) =>
      request('write block', () =>
        this.client.indices.putSettings({
          index: plan.map((p) => p.old),
          settings: { 'index.blocks.write': blocked },
        }),
      );
    await setWriteBlock(true);
    try {
      for (const { old, next } of plan) {
        await request(`create index ${next}`, () => this.client.indices.create({ index: next }));
        await request(`refresh ${old}`, () => this.client.indices.refresh({ index: old }));
        for await (const docs of this.scan(old)) {
          const failures = await this.bulk(await rewrite(docs), () => next, false);
          if (failures.length) throw new StoreWriteError(failures);
        }
        await request(`refresh ${next}`, () => this.client.indices.refresh({ index: next }));
      }
      await request(`swap aliases of ${this.alias}`, () =>
        this.client.indices.updateAliases({
          actions: plan.flatMap(({ old, next, month }) => [
            { remove: { index: old, alias: this.alias } },
            { remove: { index: old, alias: this.monthAlias(month) } },
            { add: { index: next, alias: this.alias } },
            { add: { index: next, alias: this.monthAlias(month), is_write_index: true } },
          ]),
        }),
      );
    } catch (err) {
      await setWriteBlock(false).catch(() => undefined);
      throw err;
    }
    for (let i = 0; i < plan.length; i += 20) {
      const names = plan.slice(i, i + 20).map((p) => p.old);
      await request('delete old generations', () => this.client.indices.delete({ index: names }));
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

/** The indexed document of a conversation (exported for the migration test, which writes the old layout). */
export function toSource(doc: ProcessedConversation): ConversationSource {
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
