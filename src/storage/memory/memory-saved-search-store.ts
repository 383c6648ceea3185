/** In-memory SavedSearchStore and AuditLog (unit tests); same semantics as the real stores. */
import { DuplicateRecordError } from '../errors.js';
import { compareCodePoints } from '../search-query.js';
import type { AuditEntry, AuditLog, SavedSearch, SavedSearchStore } from '../types.js';

export class MemorySavedSearchStore implements SavedSearchStore {
  private readonly searches = new Map<string, SavedSearch>();

  async insert(search: SavedSearch): Promise<void> {
    if (this.searches.has(search.id))
      throw new DuplicateRecordError(`a saved search with id ${search.id} exists`);
    this.searches.set(search.id, structuredClone(search));
  }

  async listByOwner(owner: string): Promise<SavedSearch[]> {
    return [...this.searches.values()]
      .filter((s) => s.owner === owner)
      .sort(newestFirst)
      .map((s) => structuredClone(s));
  }

  async listVisible(owner: string): Promise<SavedSearch[]> {
    return [...this.searches.values()]
      .filter((s) => s.owner === owner || s.shared)
      .sort(newestFirst)
      .map((s) => structuredClone(s));
  }

  async setShared(id: string, shared: boolean): Promise<boolean> {
    const found = this.searches.get(id);
    if (found === undefined) return false;
    found.shared = shared;
    return true;
  }

  async get(id: string): Promise<SavedSearch | undefined> {
    const found = this.searches.get(id);
    return found === undefined ? undefined : structuredClone(found);
  }

  async delete(id: string): Promise<boolean> {
    return this.searches.delete(id);
  }
}

export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    if (this.entries.some((e) => e.id === entry.id))
      throw new DuplicateRecordError(`an audit entry with id ${entry.id} exists`);
    this.entries.push(structuredClone(entry));
  }

  async list(limit: number): Promise<AuditEntry[]> {
    return [...this.entries]
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || compareCodePoints(b.id, a.id))
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }
}

/** Newest first, then id descending: the order every SavedSearchStore lists in. */
export function newestFirst(a: SavedSearch, b: SavedSearch): number {
  return Date.parse(b.createdAt) - Date.parse(a.createdAt) || compareCodePoints(b.id, a.id);
}
