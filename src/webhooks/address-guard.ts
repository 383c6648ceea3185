import dns from 'node:dns';
import net from 'node:net';
import type { LookupFunction } from 'node:net';

/** Addresses a webhook may not reach: loopback, private, link-local (cloud metadata), CGNAT, multicast… */
const BLOCKED = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(address, prefix, 'ipv6');

/** True for loopback, private, link-local and other non-public addresses (IPv4-mapped IPv6 included). */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIP(ip);
  if (family === 0) return true;
  return BLOCKED.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookAddressError extends Error {}

export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolve: Resolve = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/**
 * Keeps webhooks away from the bank's own network (SSRF): a URL's host and every address it resolves
 * to must be public, unless the host (or the address) is listed in WEBHOOK_ALLOW_HOSTS. Checked when
 * a webhook is created and again at every send, by the connection's own DNS lookup, so a name that
 * later resolves to 127.0.0.1 (DNS rebinding) is refused at the moment it would be connected.
 */
export class AddressGuard {
  private readonly allowed: Set<string>;

  constructor(
    allowHosts: readonly string[],
    private readonly resolve: Resolve = systemResolve,
  ) {
    this.allowed = new Set(allowHosts.map(normaliseHost));
  }

  /** Parses and checks a receiver URL; throws WebhookAddressError saying what is wrong. */
  async checkUrl(raw: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookAddressError('url: not an absolute URL (https://crm.example.com/hooks/voc)');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw new WebhookAddressError(
        `url: the scheme must be https or http, not ${url.protocol.slice(0, -1)}`,
      );
    if (url.username || url.password)
      throw new WebhookAddressError(
        'url: credentials in the URL are not accepted; verify the signature instead',
      );
    const host = normaliseHost(url.hostname);
    if (this.allowed.has(host)) return url;
    if (host === 'localhost' || host.endsWith('.localhost')) throw this.refusal(host, 'is a loopback name');
    if (net.isIP(host)) {
      if (isPrivateAddress(host)) throw this.refusal(host, 'is a private, loopback or link-local address');
      return url;
    }
    await this.addresses(host);
    return url;
  }

  /** The public addresses of `host` (all of them must be); throws WebhookAddressError otherwise. */
  async addresses(host: string): Promise<{ address: string; family: number }[]> {
    const name = normaliseHost(host);
    if (net.isIP(name)) {
      if (!this.allowed.has(name) && isPrivateAddress(name))
        throw this.refusal(name, 'is a private, loopback or link-local address');
      return [{ address: name, family: net.isIP(name) }];
    }
    let found: { address: string; family: number }[];
    try {
      found = await this.resolve(name);
    } catch {
      throw new WebhookAddressError(`url: the host ${name} does not resolve`);
    }
    if (found.length === 0) throw new WebhookAddressError(`url: the host ${name} does not resolve`);
    if (this.allowed.has(name)) return found;
    const blocked = found.find((a) => !this.allowed.has(a.address) && isPrivateAddress(a.address));
    if (blocked)
      throw this.refusal(name, `resolves to ${blocked.address}, a private, loopback or link-local address`);
    return found;
  }

  /** A `lookup` for http.request: the connection goes only to addresses this guard accepted. */
  lookup(): LookupFunction {
    return (hostname, options, callback) => {
      this.addresses(hostname).then(
        (found) => {
          const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
          const usable = wanted ? found.filter((a) => a.family === wanted) : found;
          if (usable.length === 0) {
            callback(new WebhookAddressError(`url: the host ${hostname} has no IPv${wanted} address`), '', 0);
            return;
          }
          if (options.all) (callback as unknown as (e: null, a: typeof usable) => void)(null, usable);
          else callback(null, usable[0]!.address, usable[0]!.family);
        },
        (err: Error) => callback(err, '', 0),
      );
    };
  }

  private refusal(host: string, why: string): WebhookAddressError {
    return new WebhookAddressError(
      `url: the host ${host} ${why}; webhooks may only reach public addresses unless the host is listed in WEBHOOK_ALLOW_HOSTS`,
    );
  }
}

function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}
