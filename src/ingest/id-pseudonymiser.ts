import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Ids (conversation, customer, agent) that contain a personal number are masked like text, but
 * masking alone would merge different ids (two phone numbers sharing their last four digits). A keyed
 * hash of the original keeps them apart, stays stable across uploads (so re-uploads still upsert),
 * and cannot be reversed without the key, unlike a plain hash of an 11-digit phone number.
 */
export function createIdPseudonymiser(secret: string): (original: string, masked: string) => string {
  return (original, masked) =>
    `${masked}~${createHmac('sha256', secret).update(original).digest('hex').slice(0, 12)}`;
}

/** The embedded mode keeps its key in DATA_DIR (created on first use, readable by the owner only). */
export function embeddedIdSecret(dataDir: string): string {
  const file = path.join(dataDir, 'id-hash.key');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
