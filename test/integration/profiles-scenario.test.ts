import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomerProfile, Tag, TagChange } from '../../src/domain/tag.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

/**
 * The issue's scripted scenario, on a clock the test moves: a customer calls in March about buying a
 * home, complains in a chat in April, the need expires by May, a back-filled January call does not
 * revive it (history ages by conversation time), and 「别再推销了」 sets do-not-market.
 */
const CUSTOMER = 'CRM-880231';
const at = (iso: string) => Date.parse(iso);

const conversation = (id: string, channel: 'call' | 'chat', startedAt: string, customer: string[]) => ({
  id,
  channel,
  startedAt,
  customerId: CUSTOMER,
  agentId: 'A-023',
  utterances: customer.flatMap((text, i) => [
    { speaker: 'agent', text: i === 0 ? '您好，安泰银行，请问有什么可以帮您？' : '好的，您请说。' },
    { speaker: 'customer', text },
  ]),
});

/**
 * A CRM's webhook receiver on loopback: verifies every Standard Webhooks signature by itself (HMAC-SHA256
 * over "id.timestamp.body" with the base64 key after whsec_) and keeps what it was sent, in order.
 */
class Receiver {
  readonly received: TagChange[] = [];
  readonly badSignatures: string[] = [];
  secret = '';
  private server!: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const id = String(req.headers['webhook-id']);
        const timestamp = String(req.headers['webhook-timestamp']);
        const expected = createHmac('sha256', Buffer.from(this.secret.replace(/^whsec_/, ''), 'base64'))
          .update(`${id}.${timestamp}.${body}`)
          .digest('base64');
        const signatures = String(req.headers['webhook-signature'] ?? '').split(' ');
        if (!signatures.includes(`v1,${expected}`)) {
          this.badSignatures.push(id);
          res.writeHead(401).end();
          return;
        }
        this.received.push(JSON.parse(body) as TagChange);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/crm/tags`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`customer profiles: the March–May scenario (${mode})`, function () {
    let svc: TestService;
    let now = at('2026-03-10T12:00:00+08:00');

    before(async () => {
      // The scenario spans months of simulated time; the feed must keep them all.
      svc = await startTestService(
        mode,
        { TAG_FEED_RETENTION_DAYS: '365', WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
        ['api', 'worker'],
        { now: () => now },
      );
      const url = await receiver.start();
      const created = await svc.request('/v1/webhooks', {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      receiver.secret = ((await created.json()) as { secret: string }).secret;
    });
    after(async () => {
      await svc?.stop();
      await receiver.stop();
    });
    const receiver = new Receiver();

    async function upload(body: unknown): Promise<void> {
      const response = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 202, await response.text());
    }

    const profile = async (): Promise<CustomerProfile | undefined> => {
      const response = await svc.request(`/v1/customers/${CUSTOMER}`, { role: 'crm' });
      return response.status === 200 ? ((await response.json()) as CustomerProfile) : undefined;
    };
    const tag = (p: CustomerProfile | undefined, key: string): Tag | undefined =>
      p?.tags.find((t) => t.key === key);
    // The profile step runs after indexing, as its own job: wait until a tag quotes the conversation.
    const afterConversation = (id: string) =>
      eventually(
        profile,
        (p) => p?.tags.some((t) => t.evidence.some((e) => e.conversationId === id)) === true,
        60_000,
      );

    async function readFeed(): Promise<TagChange[]> {
      const changes: TagChange[] = [];
      let cursor: string | undefined;
      for (;;) {
        const response = await svc.request(`/v1/tag-feed?limit=3${cursor ? `&cursor=${cursor}` : ''}`, {
          role: 'crm',
        });
        assert.equal(response.status, 200);
        const page = (await response.json()) as { changes: TagChange[]; cursor: string; hasMore: boolean };
        changes.push(...page.changes);
        cursor = page.cursor;
        if (!page.hasMore) return changes;
      }
    }

    it('March: a call about buying a home brings need.mortgage and life.home_purchase, quoting the customer', async () => {
      await upload(
        conversation('mar-call', 'call', '2026-03-10T09:30:00+08:00', [
          '我们家准备买房了，想问一下你们的房贷利率现在是多少',
          '首付大概三成，想给孩子换个大点的房子',
        ]),
      );
      const p = await afterConversation('mar-call');
      const need = tag(p, 'need.mortgage');
      assert.equal(need?.status, 'active', JSON.stringify(p?.tags.map((t) => t.key)));
      assert.match(need!.evidence[0]!.quote, /房贷|买房/);
      assert.equal(need!.evidence[0]!.speaker, 'customer');
      assert.equal(need!.evidence[0]!.conversationId, 'mar-call');
      assert.equal(need!.lastQualified, new Date('2026-03-10T09:30:00+08:00').toISOString());
      assert.equal(
        need!.validUntil,
        new Date(at('2026-03-10T09:30:00+08:00') + 42 * 86_400_000).toISOString(),
      );
      assert.equal(tag(p, 'life.home_purchase')?.status, 'active');
    });

    it('April: a chat complaining about a fee opens complaint.fees and complaint.open on the same profile', async () => {
      now = at('2026-04-12T15:00:00+08:00');
      await upload(
        conversation('apr-chat', 'chat', '2026-04-12T14:10:00+08:00', [
          '你们信用卡年费怎么又扣了两百块，我根本没开通，这个收费太不合理了，我要投诉',
        ]),
      );
      const p = await afterConversation('apr-chat');
      assert.equal(tag(p, 'complaint.fees')?.status, 'active', JSON.stringify(p?.tags.map((t) => t.key)));
      assert.equal(tag(p, 'complaint.open')?.status, 'active');
      assert.deepEqual(
        p!.conversations.map((c) => [c.id, c.channel]),
        [
          ['apr-chat', 'chat'],
          ['mar-call', 'call'],
        ],
        'calls and chats of one customer build one profile',
      );
    });

    it('May: the need has expired by its lifetime; a back-filled January call does not revive it', async () => {
      now = at('2026-05-20T10:00:00+08:00');
      // Expiry applies on read at once ...
      assert.equal(tag(await profile(), 'need.mortgage')?.status, 'exited');
      // ... and the repeatable job makes it a change in the feed.
      await svc.service.container.queue.enqueue('profile-expiry', 'expiry-may-20', {});
      await eventually(readFeed, (feed) =>
        feed.some((c) => c.key === 'need.mortgage' && c.change === 'exited'),
      );

      await upload(
        conversation('jan-call', 'call', '2026-01-15T11:00:00+08:00', ['我想咨询一下房贷，打算明年买房']),
      );
      const p = await afterConversation('jan-call');
      const need = tag(p, 'need.mortgage')!;
      assert.equal(need.status, 'exited');
      assert.equal(need.firstSeen, new Date('2026-01-15T11:00:00+08:00').toISOString());
      assert.equal(need.lastQualified, new Date('2026-03-10T09:30:00+08:00').toISOString());
      const feed = await readFeed();
      assert.equal(
        feed.filter((c) => c.key === 'need.mortgage' && c.change === 'entered').length,
        1,
        'old history entered nothing',
      );
    });

    it('「别再推销了」 sets do-not-market for six months, with its evidence', async () => {
      await upload(
        conversation('may-call', 'call', '2026-05-20T09:40:00+08:00', [
          '我就是问一下账单',
          '别再给我打电话推销了，烦死了',
        ]),
      );
      const p = await afterConversation('may-call');
      const dnm = tag(p, 'consent.do_not_market');
      assert.equal(dnm?.status, 'active');
      assert.match(dnm!.evidence[0]!.quote, /推销/);
      assert.ok(Date.parse(dnm!.validUntil) >= at('2026-11-19T09:40:00+08:00'), dnm!.validUntil);
      assert.equal(
        (p as unknown as { consent: { doNotMarket: { active: boolean } } }).consent.doNotMarket.active,
        true,
      );
    });

    it('the feed holds every change once, in order, with versions rising per customer; a re-analysis that changes nothing adds nothing', async () => {
      const feed = await readFeed();
      assert.equal(new Set(feed.map((c) => c.id)).size, feed.length);
      const versions = feed.map((c) => c.version);
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => a - b),
      );
      assert.equal(new Set(versions).size, versions.length);
      const keys = feed.map((c) => `${c.key}:${c.change}`);
      for (const expected of [
        'need.mortgage:entered',
        'life.home_purchase:entered',
        'complaint.fees:entered',
        'complaint.open:entered',
        'need.mortgage:exited',
        'consent.do_not_market:entered',
      ])
        assert.ok(keys.includes(expected), `${expected} in ${keys.join(', ')}`);

      // The same conversation again: same signals, same tags, no change.
      await svc.service.container.profiles.updateFromConversations([
        'mar-call',
        'apr-chat',
        'jan-call',
        'may-call',
      ]);
      assert.equal((await readFeed()).length, feed.length);
    });

    it('the webhook receiver got the same changes as the feed, once each, in order, every signature valid', async () => {
      const feed = await readFeed();
      const got = await eventually(
        async () => receiver.received.map((c) => c.id),
        (ids) => ids.length >= feed.length,
        60_000,
      );
      assert.deepEqual(
        got,
        feed.map((c) => c.id),
      );
      assert.deepEqual(receiver.received, feed);
      assert.deepEqual(receiver.badSignatures, []);
    });

    it('erasure removes the profile and leaves tombstones in the feed', async () => {
      const before = (await profile())!;
      const response = await svc.request(`/v1/customers/${CUSTOMER}`, { role: 'crm', method: 'DELETE' });
      assert.equal(response.status, 200);
      assert.equal((await svc.request(`/v1/customers/${CUSTOMER}`, { role: 'crm' })).status, 404);
      const deleted = (await readFeed()).filter((c) => c.change === 'deleted');
      assert.deepEqual(deleted.map((c) => c.key).sort(), before.tags.map((t) => t.key).sort());
      assert.ok(deleted.every((c) => c.tag === undefined));
    });
  });
}
