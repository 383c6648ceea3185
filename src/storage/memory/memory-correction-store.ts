/** In-memory CorrectionStore (unit tests); same semantics as the real stores, held by the contract suite. */
import type { Correction } from '../../domain/correction.js';
import {
  atMs,
  encodeCorrectionCursor,
  newestFirst,
  normaliseCorrectionQuery,
  oldestFirst,
} from '../correction-query.js';
import { DuplicateRecordError } from '../errors.js';
import type { CorrectionPage, CorrectionQuery, CorrectionStore } from '../types.js';

const key = (c: Correction) => ({ atMs: atMs(c), id: c.id });

export class MemoryCorrectionStore implements CorrectionStore {
  private readonly corrections = new Map<string, Correction>();

  async insert(correction: Correction): Promise<void> {
    if (this.corrections.has(correction.id))
      throw new DuplicateRecordError(`a correction with id ${correction.id} exists`);
    this.corrections.set(correction.id, structuredClone(correction));
  }

  async list(query: CorrectionQuery): Promise<CorrectionPage> {
    const q = normaliseCorrectionQuery(query);
    const after = q.after;
    const matches = [...this.corrections.values()]
      .filter((c) => q.conversationId === undefined || c.conversationId === q.conversationId)
      .filter((c) => q.label === undefined || c.label === q.label)
      .filter((c) => after === undefined || newestFirst(key(c), after) > 0)
      .sort((a, b) => newestFirst(key(a), key(b)));
    const items = matches.slice(0, q.limit).map((c) => structuredClone(c));
    const last = items.at(-1);
    return {
      items,
      ...(matches.length > q.limit && last !== undefined ? { next: encodeCorrectionCursor(key(last)) } : {}),
    };
  }

  async forConversations(conversationIds: readonly string[]): Promise<Correction[]> {
    const wanted = new Set(conversationIds);
    return [...this.corrections.values()]
      .filter((c) => wanted.has(c.conversationId))
      .sort((a, b) => oldestFirst(key(a), key(b)))
      .map((c) => structuredClone(c));
  }
}
