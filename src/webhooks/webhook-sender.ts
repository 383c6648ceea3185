import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { WebhookAddressError, type AddressGuard } from './address-guard.js';

export interface SendResult {
  /** The receiver's status; absent when it never answered. */
  status?: number;
  /** Why the attempt failed (absent on 2xx). */
  error?: string;
  /** The receiver's Retry-After, in ms, when it sent one. */
  retryAfterMs?: number;
  /** The address guard refused the destination: retrying will not help until the config changes. */
  refused?: boolean;
}

export type Send = (url: string, headers: Record<string, string>, body: string) => Promise<SendResult>;

/**
 * Posts one delivery: no redirects followed (a 3xx is a failure, as the spec says), a timeout, and
 * the connection only to an address the guard accepts. The receiver's body is read and dropped:
 * it is never stored or logged.
 */
export function createSender(guard: AddressGuard, timeoutMs = 15_000): Send {
  const lookup = guard.lookup();
  return async (raw, headers, body) => {
    const url = new URL(raw);
    try {
      if (net.isIP(url.hostname.replace(/^\[(.*)\]$/, '$1'))) await guard.addresses(url.hostname);
    } catch (err) {
      return { error: (err as Error).message, refused: true };
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      const req = client.request(
        url,
        {
          method: 'POST',
          lookup,
          timeout: timeoutMs,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'voc-bank-webhooks/1',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const retryAfter = Number(res.headers['retry-after']);
            resolve({
              status,
              ...(status >= 200 && status < 300 ? {} : { error: `HTTP ${status}` }),
              ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
            });
          });
          res.on('error', (err) => resolve({ status: res.statusCode ?? 0, error: err.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        const refused = err instanceof WebhookAddressError;
        resolve({ error: refused ? err.message : describe(err), ...(refused ? { refused } : {}) });
      });
      req.end(body);
    });
  };
}

function describe(err: Error & { code?: string }): string {
  return err.code ? `${err.code}: ${err.message}` : err.message;
}
