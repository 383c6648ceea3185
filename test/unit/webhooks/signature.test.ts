import assert from 'node:assert/strict';
import { generateSecret, messageId, sign, verify } from '../../../src/webhooks/signature.js';

describe('Standard Webhooks signature', () => {
  it('matches the test vector of the reference libraries', () => {
    // standard-webhooks/standard-webhooks libraries' shared vector.
    assert.equal(
      sign(
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      ),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('makes whsec_ secrets of 32 random bytes', () => {
    const a = generateSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]+=*$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, generateSecret());
  });

  it('verifies its own signatures and refuses tampering, a wrong secret and an old timestamp', () => {
    const secret = generateSecret();
    const now = 1_800_000_000;
    const body = '{"key":"need.mortgage"}';
    const headers = { id: 'msg_1', timestamp: String(now), signature: sign('msg_1', now, body, secret) };
    assert.equal(verify(headers, body, secret, now), true);
    assert.equal(verify({ ...headers, signature: `v1,bogus ${headers.signature}` }, body, secret, now), true);
    assert.equal(verify(headers, body.replace('mortgage', 'deposit'), secret, now), false);
    assert.equal(verify(headers, body, generateSecret(), now), false);
    assert.equal(verify({ ...headers, id: 'msg_2' }, body, secret, now), false);
    assert.equal(verify(headers, body, secret, now + 301), false);
  });

  it('gives a stable message id per (webhook, change) without dots', () => {
    const id = messageId('wh_a', 's1:42');
    assert.equal(id, messageId('wh_a', 's1:42'));
    assert.notEqual(id, messageId('wh_b', 's1:42'));
    assert.notEqual(id, messageId('wh_a', 's1:43'));
    assert.match(id, /^msg_[A-Za-z0-9_-]{32}$/);
  });
});
