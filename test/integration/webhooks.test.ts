import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TagChange } from '../../src/domain/tag.js';
import type { DeadLetter, DeliveryAttempt } from '../../src/storage/webhook-store.js';
import { verify } from '../../src/webhooks/signature.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

/**
 * A real receiver on loopback: it checks every signature, answers with the status the test scripts
 * (500s to force retries), and keeps what it accepted. "Seen" means answered 2xx.
 */
class Receiver {
  server!: Server;
  url = '';
  secret = '';
  /** Statuses to answer next (then 200). */
  script: number[] = [];
  accepted: { messageId: string; change: TagChange }[] = [];
  requests = 0;
  badSignatures = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests++;
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = {
          id: String(req.headers['webhook-id'] ?? ''),
          timestamp: String(req.headers['webhook-timestamp'] ?? ''),
          signature: String(req.headers['webhook-signature'] ?? ''),
        };
        if (!verify(headers, body, this.secret)) {
          this.badSignatures++;
          res.writeHead(401).end();
          return;
        }
        const status = this.script.shift() ?? 200;
        if (status === 200)
          this.accepted.push({ messageId: headers.id, change: JSON.parse(body) as TagChange });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/voc`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const ENV = { WEBHOOK_ALLOW_HOSTS: '127.0.0.1', WEBHOOK_MAX_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '100' };

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`webhooks (${mode})`, function () {
    let svc: TestService;
    const receiver = new Receiver();
    let webhookId = '';

    before(async () => {
      await receiver.start();
      svc = await startTestService(mode, ENV);
    });
    after(async () => {
      await svc?.stop();
      await receiver.stop();
    });

    const json = async <T>(
      path: string,
      init: RequestInit & { role?: 'crm' | 'analyst' } = {},
    ): Promise<{ status: number; body: T }> => {
      const response = await svc.request(path, { role: 'crm', ...init });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    };
    const post = (path: string, body?: unknown) =>
      json<Record<string, unknown>>(path, {
        method: 'POST',
        ...(body !== undefined
          ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
          : {}),
      });
    /** The feed's changes (all of them: the subscription takes every key). */
    const feed = async (): Promise<TagChange[]> => {
      const all: TagChange[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await svc.service.container.profiles.feed(cursor, 500);
        all.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) return all;
      }
    };
    /** One real change per call: do-not-market on, then off, for a few customers in turn. */
    let flips = 0;
    const change = async (): Promise<void> => {
      const customer = `CRM-${100 + (flips % 3)}`;
      const on = Math.floor(flips / 3) % 2 === 0;
      flips++;
      await svc.service.container.profiles.setConsent(customer, { doNotMarket: on });
    };
    const acceptedIds = () => receiver.accepted.map((a) => a.change.id);

    it('refuses private and loopback receivers not in WEBHOOK_ALLOW_HOSTS, names the field', async () => {
      for (const url of ['http://localhost:9/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/x']) {
        const answer = await post('/v1/webhooks', { url });
        assert.equal(answer.status, 400, url);
        assert.match(JSON.stringify(answer.body), /body\.url.*WEBHOOK_ALLOW_HOSTS/);
      }
      assert.equal((await post('/v1/webhooks', { url: receiver.url, keys: ['Need!'] })).status, 400);
      assert.equal((await json('/v1/webhooks', { role: 'analyst' })).status, 403);
    });

    it('delivers every change once, in order, signed, through a receiver failing a few times', async () => {
      const created = await post('/v1/webhooks', { url: receiver.url });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      webhookId = String(created.body.id);
      receiver.secret = String(created.body.secret);
      assert.match(receiver.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
      const decoded = Buffer.from(receiver.secret.slice(6), 'base64').length;
      assert.ok(decoded >= 24 && decoded <= 32);
      const listed = await json<{ items: Record<string, unknown>[] }>('/v1/webhooks');
      assert.deepEqual(
        listed.body.items.map((w) => [w.id, w.url, 'secret' in w]),
        [[webhookId, receiver.url, false]],
      );

      receiver.script = [500, 503];
      for (let i = 0; i < 8; i++) await change();
      const expected = (await feed()).map((c) => c.id);
      assert.equal(expected.length, 8);
      await eventually(
        async () => acceptedIds(),
        (ids) => ids.length >= expected.length,
        60_000,
      );
      assert.deepEqual(acceptedIds(), expected, 'every change once, in feed order');
      assert.equal(new Set(receiver.accepted.map((a) => a.messageId)).size, expected.length);
      assert.equal(receiver.badSignatures, 0);
      assert.equal(receiver.requests, expected.length + 2, 'the failed attempts were retried');

      const log = await json<{ items: DeliveryAttempt[] }>(`/v1/webhooks/${webhookId}/deliveries?limit=100`);
      const first = log.body.items.filter((a) => a.changeId === expected[0]).reverse();
      assert.deepEqual(
        first.map((a) => [a.attempt, a.outcome, a.status]),
        [
          [1, 'failed', 500],
          [2, 'failed', 503],
          [3, 'delivered', 200],
        ],
      );
      assert.ok(first.every((a) => a.messageId === receiver.accepted[0]!.messageId));
    });

    it('dead-letters a change after its attempts, goes on, and replays it on request', async () => {
      const before = receiver.accepted.length;
      receiver.script = [500, 500, 500];
      await change();
      await change();
      const [dead, next] = (await feed()).slice(-2).map((c) => c.id);
      await eventually(
        async () => acceptedIds().slice(before),
        (ids) => ids.length >= 1,
        60_000,
      );
      assert.deepEqual(acceptedIds().slice(before), [next]);
      const letters = await json<{ items: DeadLetter[] }>(`/v1/webhooks/${webhookId}/dead-letters`);
      assert.deepEqual(
        letters.body.items.map((l) => [l.change.id, l.attempts, l.state, l.lastError]),
        [[dead, 3, 'dead', 'HTTP 500']],
      );
      const replay = await post(`/v1/webhooks/${webhookId}/replay`);
      assert.deepEqual([replay.status, replay.body], [202, { queued: 1 }]);
      await eventually(
        async () => acceptedIds().slice(before),
        (ids) => ids.length >= 2,
        60_000,
      );
      assert.deepEqual(acceptedIds().slice(before), [next, dead]);
      assert.deepEqual(
        (await json<{ items: DeadLetter[] }>(`/v1/webhooks/${webhookId}/dead-letters`)).body.items,
        [],
      );
    });

    it('resumes after a restart from its stored cursor: nothing lost, nothing repeated', async () => {
      const before = receiver.accepted.length;
      const delivered = new Set(acceptedIds());
      receiver.script = Array.from({ length: 2 }, () => 500);
      for (let i = 0; i < 4; i++) await change();
      const { dataDir, queuePrefix, indexPrefix } = svc;
      await svc.stop({ keepData: true });
      svc = await startTestService(mode, ENV, ['api', 'worker'], { dataDir, queuePrefix, indexPrefix });
      for (let i = 0; i < 2; i++) await change();
      const expected = (await feed()).map((c) => c.id).filter((id) => !delivered.has(id));
      assert.equal(expected.length, 6);
      await eventually(
        async () => acceptedIds().slice(before),
        (ids) => ids.length >= expected.length,
        90_000,
      );
      assert.deepEqual(acceptedIds().slice(before), expected);
      assert.equal(new Set(receiver.accepted.map((a) => a.messageId)).size, receiver.accepted.length);
      assert.equal(receiver.badSignatures, 0);
    });

    it('deletes a subscription', async () => {
      const response = await svc.request(`/v1/webhooks/${webhookId}`, { role: 'crm', method: 'DELETE' });
      assert.equal(response.status, 204);
      assert.equal((await json(`/v1/webhooks/${webhookId}/deliveries`)).status, 404);
      assert.deepEqual((await json<{ items: unknown[] }>('/v1/webhooks')).body.items, []);
    });
  });
}
