import { randomUUID } from 'node:crypto';
import { AppError, NotFoundError } from '../errors.js';
import { redactText } from '../pipeline/redact/index.js';
import type { SavedSearch, SavedSearchStore } from '../storage/types.js';

/** Who asks: the analyst's API key. */
export type { SavedSearch } from '../storage/types.js';

export interface SearchOwner {
  id: string;
  name: string;
}

/**
 * Named searches an analyst keeps. Each key sees its own and those shared with the team; only the
 * owner shares, unshares or deletes one.
 */
export class SavedSearchService {
  constructor(private readonly store: SavedSearchStore) {}

  /**
   * Saves a search, private until shared. Its name, the query text and the owner's name are redacted
   * like utterances: an analyst who names a search after the caller's phone number stores only its
   * last four digits.
   */
  async create(
    owner: SearchOwner,
    name: string,
    query: Record<string, unknown>,
    shared = false,
  ): Promise<SavedSearch> {
    const redacted = typeof query.q === 'string' ? { ...query, q: redactText(query.q).text } : query;
    const search: SavedSearch = {
      id: randomUUID(),
      name: redactText(name).text,
      query: redacted,
      owner: owner.id,
      ownerName: redactText(owner.name).text,
      shared,
      createdAt: new Date().toISOString(),
    };
    await this.store.insert(search);
    return search;
  }

  /** The owner's searches and those shared with the team, newest first. */
  list(owner: string): Promise<SavedSearch[]> {
    return this.store.listVisible(owner);
  }

  /** Shares the owner's search with the team, or makes it private again. */
  async setShared(owner: string, id: string, shared: boolean): Promise<SavedSearch> {
    const found = await this.ownSearch(owner, id, shared ? 'share' : 'unshare');
    if (!(await this.store.setShared(id, shared))) throw new NotFoundError(`Saved search ${id}`);
    return { ...found, shared };
  }

  /** Deletes the owner's search. */
  async delete(owner: string, id: string): Promise<void> {
    await this.ownSearch(owner, id, 'delete');
    if (!(await this.store.delete(id))) throw new NotFoundError(`Saved search ${id}`);
  }

  /**
   * The search if `owner` owns it. A search the key cannot see is not found; a search shared by
   * someone else is visible but not theirs to change (403 not_owner).
   */
  private async ownSearch(owner: string, id: string, action: string): Promise<SavedSearch> {
    const found = await this.store.get(id);
    if (found === undefined || (found.owner !== owner && !found.shared))
      throw new NotFoundError(`Saved search ${id}`);
    if (found.owner !== owner) {
      throw new AppError(
        403,
        'not_owner',
        `Saved search ${id} was shared by ${found.ownerName || 'another analyst key'}; only its owner can ${action} it (save a copy of your own instead)`,
      );
    }
    return found;
  }
}
