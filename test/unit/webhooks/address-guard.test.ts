import assert from 'node:assert/strict';
import { AddressGuard, isPrivateAddress, WebhookAddressError } from '../../../src/webhooks/address-guard.js';

const resolver =
  (table: Record<string, string[]>) =>
  async (host: string): Promise<{ address: string; family: number }[]> => {
    const found = table[host];
    if (!found) throw new Error('ENOTFOUND');
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('webhook address guard', () => {
  it('knows private, loopback and link-local addresses', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ])
      assert.equal(isPrivateAddress(ip), true, ip);
    for (const ip of ['8.8.8.8', '203.0.113.9', '172.32.0.1', '2606:4700::1111'])
      assert.equal(isPrivateAddress(ip), false, ip);
  });

  it('refuses private hosts at registration unless allowed', async () => {
    const guard = new AddressGuard(
      [],
      resolver({ 'crm.example.com': ['93.184.216.34'], 'evil.example.com': ['10.0.0.5'] }),
    );
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://evil.example.com/hook',
      'ftp://crm.example.com/hook',
      'https://user:pw@crm.example.com/hook',
      'not a url',
    ])
      await assert.rejects(guard.checkUrl(url), WebhookAddressError, url);
    await assert.rejects(guard.checkUrl('http://127.0.0.1/'), /WEBHOOK_ALLOW_HOSTS/);
    assert.equal((await guard.checkUrl('https://crm.example.com/hook')).host, 'crm.example.com');
    const allowing = new AddressGuard(
      ['127.0.0.1', 'crm.internal'],
      resolver({ 'crm.internal': ['10.0.0.7'] }),
    );
    await allowing.checkUrl('http://127.0.0.1:9000/hook');
    await allowing.checkUrl('http://crm.internal/hook');
  });

  it('refuses at connection time a name that now resolves to a private address (DNS rebinding)', async () => {
    const table: Record<string, string[]> = { 'crm.example.com': ['93.184.216.34'] };
    const guard = new AddressGuard([], resolver(table));
    await guard.checkUrl('https://crm.example.com/hook');
    table['crm.example.com'] = ['93.184.216.34', '127.0.0.1'];
    const lookup = guard.lookup();
    const error = await new Promise<Error | null>((resolve) =>
      lookup('crm.example.com', { all: true }, (err) => resolve(err)),
    );
    assert.ok(error instanceof WebhookAddressError);
    assert.match(error.message, /resolves to 127\.0\.0\.1/);
  });

  it('hands the connection only the addresses it checked', async () => {
    const guard = new AddressGuard([], resolver({ 'crm.example.com': ['93.184.216.34', '2606:2800::1'] }));
    const lookup = guard.lookup();
    const all = await new Promise<unknown>((resolve) =>
      lookup('crm.example.com', { all: true }, (_err, addresses) => resolve(addresses)),
    );
    assert.deepEqual(all, [
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800::1', family: 6 },
    ]);
    const one = await new Promise<unknown>((resolve) =>
      lookup('crm.example.com', { family: 6 }, (_err, address) => resolve(address)),
    );
    assert.equal(one, '2606:2800::1');
  });
});
