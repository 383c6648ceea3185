import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { ApiKeyRecord, ApiKeyStore, Role } from '../storage/types.js';

const KEY_PREFIX = 'voc_';

export function hashKey(key: string): string {
  // One-shot: no Hash object per authenticated request (same digest).
  return hash('sha256', key, 'hex');
}

/** API keys: shown once at creation, stored only as a SHA-256 hash (keys are 256-bit random, so no salt is needed). */
export class KeyService {
  constructor(private readonly store: ApiKeyStore) {}

  /** Creates a key; the clear key is in the result and nowhere else. */
  async create(role: Role, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const record: ApiKeyRecord = {
      id: randomUUID(),
      name,
      role,
      hash: hashKey(key),
      createdAt: new Date().toISOString(),
    };
    await this.store.insert(record);
    return { key, record };
  }

  /** The active record for a presented key, or undefined for unknown and revoked keys. */
  async authenticate(key: string): Promise<ApiKeyRecord | undefined> {
    if (!key.startsWith(KEY_PREFIX)) return undefined;
    const record = await this.store.findByHash(hashKey(key));
    return record && !record.revokedAt ? record : undefined;
  }

  list(): Promise<ApiKeyRecord[]> {
    return this.store.list();
  }

  revoke(id: string): Promise<boolean> {
    return this.store.revoke(id, new Date().toISOString());
  }
}
