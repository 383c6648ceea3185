import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.js';
import { redactText } from '../pipeline/redact/index.js';
import type { SavedSearch, SavedSearchStore } from '../storage/types.js';

/** Named searches an analyst keeps; each analyst key sees its own. */
export class SavedSearchService {
  constructor(private readonly store: SavedSearchStore) {}

  /**
   * Saves a search. Its name and query text are redacted like utterances: an analyst who names a
   * search after the caller's phone number stores only its last four digits.
   */
  async create(owner: string, name: string, query: Record<string, unknown>): Promise<SavedSearch> {
    const redacted = typeof query.q === 'string' ? { ...query, q: redactText(query.q).text } : query;
    const search: SavedSearch = {
      id: randomUUID(),
      name: redactText(name).text,
      query: redacted,
      owner,
      createdAt: new Date().toISOString(),
    };
    await this.store.insert(search);
    return search;
  }

  list(owner: string): Promise<SavedSearch[]> {
    return this.store.listByOwner(owner);
  }

  /** Deletes the owner's search; someone else's is reported as not found. */
  async delete(owner: string, id: string): Promise<void> {
    const found = await this.store.get(id);
    if (found?.owner !== owner || !(await this.store.delete(id)))
      throw new NotFoundError(`Saved search ${id}`);
  }
}
