/** In-memory ApiKeyStore for unit tests of other modules; same semantics as the real stores. */
import { DuplicateRecordError, StoreUnavailableError } from '../errors.js';
import { compareCodePoints } from '../search-query.js';
import type { ApiKeyRecord, ApiKeyStore } from '../types.js';

export class MemoryApiKeyStore implements ApiKeyStore {
  private readonly records = new Map<string, ApiKeyRecord>();
  private outage = false;

  /** While on, every call rejects with StoreUnavailableError. */
  simulateOutage(on: boolean): void {
    this.outage = on;
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    this.check();
    if (this.records.has(record.id)) throw new DuplicateRecordError(`an API key with id ${record.id} exists`);
    for (const existing of this.records.values()) {
      if (existing.hash === record.hash) throw new DuplicateRecordError('an API key with that hash exists');
    }
    this.records.set(record.id, { ...record });
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    this.check();
    for (const record of this.records.values()) if (record.hash === hash) return { ...record };
    return undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    this.check();
    return [...this.records.values()].map((r) => ({ ...r })).sort(compareKeys);
  }

  async revoke(id: string, at: string): Promise<boolean> {
    this.check();
    const record = this.records.get(id);
    if (record === undefined) return false;
    // The first revocation time is kept: revoking twice must not move the audit trail.
    if (record.revokedAt === undefined) record.revokedAt = at;
    return true;
  }

  private check(): void {
    if (this.outage) throw new StoreUnavailableError('memory API key store: simulated outage');
  }
}

/** Listing order shared by every ApiKeyStore: oldest first, then by id. */
export function compareKeys(a: ApiKeyRecord, b: ApiKeyRecord): number {
  const byTime = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return byTime !== 0 && !Number.isNaN(byTime) ? byTime : compareCodePoints(a.id, b.id);
}
