import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The Standard Webhooks signature scheme (https://www.standardwebhooks.com, spec 1.0): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of the `whsec_` secret,
 * sent as `v1,<base64>` in `webhook-signature`.
 */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes (the spec asks for 24 to 64), base64 behind `whsec_`. */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');
}

/** The `webhook-signature` value for one delivery attempt. */
export function sign(messageId: string, timestampSeconds: number, body: string, secret: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${messageId}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/**
 * What a receiver does: true when one of the space-separated `v1,` signatures matches (constant-time
 * comparison) and the timestamp is within `toleranceSeconds` of `nowSeconds`.
 */
export function verify(
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  if (!/^\d+$/.test(headers.timestamp)) return false;
  const timestamp = Number(headers.timestamp);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(headers.id, timestamp, body, secret).slice(3), 'base64');
  return headers.signature.split(' ').some((entry) => {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * The `webhook-id` of a change for a receiver: the same on every attempt and replay, different per
 * receiver, without a `.` (the spec forbids one in the signed id).
 */
export function messageId(webhookId: string, changeId: string): string {
  return `msg_${createHash('sha256').update(`${webhookId}\n${changeId}`).digest('base64url').slice(0, 32)}`;
}
