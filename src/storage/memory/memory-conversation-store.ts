/**
 * In-memory ConversationStore for unit tests of other modules. Same semantics as the real stores
 * (term matching, BM25-style relevance, sort order, cursors, validation), checked by the contract suite.
 */
import type { ProcessedConversation } from '../../domain/processed-conversation.js';
import { StoreUnavailableError, StoreWriteError, type WriteFailure } from '../errors.js';
import {
  compareSortValues,
  documentTerms,
  encodeCursor,
  invalidDocumentReason,
  normaliseQuery,
  parseInstant,
  type Cursor,
} from '../search-query.js';
import { labelKeys, simplifyTextQuery, utteranceUnits } from '../text-query.js';
import type { ConversationHit, ConversationPage, ConversationQuery, ConversationStore } from '../types.js';
import {
  countFacets,
  evaluateText,
  histogram,
  indexUtterances,
  passesFilters,
  type IndexedUtterance,
} from './memory-search.js';
import { rewriteInPlace } from '../rewrite-in-place.js';
import { withDisjunctiveFacets } from '../facet-filters.js';

interface Entry {
  doc: ProcessedConversation;
  startedAtMs: number;
  termCounts: Map<string, number>;
  length: number;
  utterances: IndexedUtterance[];
  labels: Set<string>;
}

const K1 = 1.2;
const B = 0.75;

export class MemoryConversationStore implements ConversationStore {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  private outage = false;

  /** While on, every call rejects with StoreUnavailableError: lets tests exercise retry paths. */
  simulateOutage(on: boolean): void {
    this.outage = on;
  }

  async upsertMany(docs: ProcessedConversation[]): Promise<void> {
    this.check();
    const failures: WriteFailure[] = [];
    for (const doc of docs) {
      const reason = invalidDocumentReason(doc);
      if (reason !== undefined) {
        failures.push({ id: String(doc.conversation?.id), status: 400, reason });
        continue;
      }
      const storedSeq = this.entries.get(doc.conversation.id)?.doc.uploadSeq;
      if (storedSeq !== undefined && doc.uploadSeq !== undefined && doc.uploadSeq < storedSeq) continue;
      const terms = documentTerms(doc);
      const termCounts = new Map<string, number>();
      for (const term of terms) termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
      this.entries.set(doc.conversation.id, {
        doc: structuredClone(doc),
        startedAtMs: parseInstant(doc.conversation.startedAt) ?? 0,
        termCounts,
        length: terms.length,
        utterances: indexUtterances(doc, utteranceUnits(doc)),
        labels: new Set(labelKeys(doc)),
      });
    }
    if (failures.length > 0) throw new StoreWriteError(failures);
  }

  async get(id: string): Promise<ProcessedConversation | undefined> {
    this.check();
    const entry = this.entries.get(id);
    return entry === undefined ? undefined : structuredClone(entry.doc);
  }

  async getMany(ids: readonly string[]): Promise<(ProcessedConversation | undefined)[]> {
    this.check();
    return ids.map((id) => {
      const entry = this.entries.get(id);
      return entry === undefined ? undefined : structuredClone(entry.doc);
    });
  }

  async search(query: ConversationQuery): Promise<ConversationPage> {
    return withDisjunctiveFacets(query, this.searchOnce(query), async (sub) => this.searchOnce(sub));
  }

  private searchOnce(query: ConversationQuery): ConversationPage {
    this.check();
    const q = normaliseQuery(query);
    const text = simplifyTextQuery(query.text);
    const all = [...this.entries.values()];
    const avgLength = all.reduce((sum, e) => sum + e.length, 0) / Math.max(all.length, 1);
    const idf = new Map(
      q.terms.map((t) => {
        const df = all.filter((e) => e.termCounts.has(t)).length;
        return [t, Math.log(1 + (all.length - df + 0.5) / (df + 0.5))] as const;
      }),
    );
    const matches: { entry: Entry; cursor: Cursor }[] = [];
    for (const entry of all) {
      if (q.channel !== undefined && entry.doc.conversation.channel !== q.channel) continue;
      if (q.fromMs !== undefined && entry.startedAtMs < q.fromMs) continue;
      if (q.toMs !== undefined && entry.startedAtMs > q.toMs) continue;
      if (!q.terms.every((t) => entry.termCounts.has(t))) continue;
      if (!passesFilters(entry.doc, entry.labels, query.filters)) continue;
      const textScore = text === undefined ? 0 : evaluateText(text, entry.utterances);
      if (textScore === undefined) continue;
      // Text expressions score by matching utterances per leaf, damped by conversation length.
      let score = textScore / Math.sqrt(Math.max(entry.utterances.length, 1));
      for (const t of q.terms) {
        const tf = entry.termCounts.get(t) ?? 0;
        score +=
          ((idf.get(t) ?? 0) * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * entry.length) / (avgLength || 1)));
      }
      const id = entry.doc.conversation.id;
      const cursor: Cursor =
        q.sort === 'relevance'
          ? { sort: 'relevance', score, startedAtMs: entry.startedAtMs, id }
          : { sort: 'time', startedAtMs: entry.startedAtMs, id };
      matches.push({ entry, cursor });
    }
    matches.sort((a, b) => compareSortValues(a.cursor, b.cursor));
    const after = q.after;
    const rest =
      after === undefined ? matches : matches.filter((m) => compareSortValues(m.cursor, after) > 0);
    const page = rest.slice(0, q.limit);
    const hits: ConversationHit[] = page.map(({ entry, cursor }) => ({
      id: cursor.id,
      score: cursor.sort === 'relevance' ? cursor.score : 0,
      document: structuredClone(entry.doc),
    }));
    const last = page.at(-1);
    return {
      total: matches.length,
      hits,
      next: rest.length > q.limit && last !== undefined ? encodeCursor(last.cursor) : undefined,
      ...(query.facets === true ? { facets: countFacets(matches.map((m) => m.entry.doc)) } : {}),
      ...(query.histogram !== undefined
        ? {
            histogram: histogram(
              matches.map((m) => m.entry.startedAtMs),
              query.histogram,
            ),
          }
        : {}),
    };
  }

  rebuild(rewrite: (docs: ProcessedConversation[]) => Promise<ProcessedConversation[]>): Promise<void> {
    return rewriteInPlace(this, rewrite);
  }

  async count(): Promise<number> {
    this.check();
    return this.entries.size;
  }

  async refresh(): Promise<void> {
    this.check();
  }

  async ping(): Promise<void> {
    this.check();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private check(): void {
    if (this.closed) throw new StoreUnavailableError('memory conversation store is closed');
    if (this.outage) throw new StoreUnavailableError('memory conversation store: simulated outage');
  }
}
