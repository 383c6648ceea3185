/**
 * The console's customer page (issue 9 item 7) in headless Chromium against real Elasticsearch and
 * Redis: conversations of one customer are uploaded, the profile step runs, and an analyst reaches the
 * customer from a search result and from a conversation, reads a tag with its quote and lifetime,
 * consent and the timeline, and follows the quote back to its sentence. The customer's id is a phone
 * number: the page must show its pseudonym only.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { Tag } from '../../src/domain/tag.js';
import { eventually, startTestService, type TestService } from '../helpers/test-service.js';
import {
  ARTIFACTS,
  axeViolations,
  ingest,
  launchBrowser,
  newConsolePage,
  signIn,
} from './console-browser.js';

const PHONE = '13912345678';
const DAY = 86_400_000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString();

const conversation = (
  id: string,
  customerId: string,
  channel: 'call' | 'chat',
  startedAt: string,
  said: string[],
) => ({
  id,
  channel,
  startedAt,
  customerId,
  agentId: 'a-031',
  utterances: said.flatMap((text, i) => [
    { speaker: 'agent', text: i === 0 ? '您好，安泰银行，请问有什么可以帮您？' : '好的，您请说。' },
    { speaker: 'customer', text },
  ]),
});

const CONVERSATIONS = [
  conversation('cp-home-call', PHONE, 'call', daysAgo(10), [
    '我们家准备买房了，想问一下你们的房贷利率现在是多少',
    '首付大概三成，想给孩子换个大点的房子',
  ]),
  conversation('cp-fee-chat', PHONE, 'chat', daysAgo(3), [
    '你们信用卡年费怎么又扣了两百块，我根本没开通，这个收费太不合理了，我要投诉',
    '还有别再给我打电话推销了',
  ]),
  conversation('cp-other', 'CRM-551207', 'call', daysAgo(5), ['我想问一下房贷提前还款要不要手续费']),
  conversation('cp-erased', 'CRM-551208', 'call', daysAgo(4), ['我想办一张信用卡，你们年费多少']),
];

interface Profile {
  customerId: string;
  tags: Tag[];
}

describe('the customer page in the console (browser)', function () {
  this.timeout(300_000);
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let customerId: string; // as stored: the phone number pseudonymised
  let mortgage: Tag;

  const profile = async (id: string): Promise<Profile | undefined> => {
    const res = await svc.request(`/v1/customers/${encodeURIComponent(id)}`, { role: 'crm' });
    return res.status === 200 ? ((await res.json()) as Profile) : undefined;
  };
  const quotes = (p: Profile | undefined, conversationId: string): boolean =>
    p?.tags.some((t) => t.evidence.some((e) => e.conversationId === conversationId)) === true;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startTestService('distributed');
    await ingest(svc, CONVERSATIONS);
    // the profile step runs after indexing, as its own job
    const p = await eventually(
      () => profile(PHONE),
      (x) => quotes(x, 'cp-home-call') && quotes(x, 'cp-fee-chat'),
      120_000,
    );
    customerId = p!.customerId;
    assert.ok(!customerId.includes(PHONE), 'the stored id is a pseudonym');
    mortgage = p!.tags.find((t) => t.key === 'need.mortgage')!;
    assert.equal(mortgage?.status, 'active', JSON.stringify(p!.tags.map((t) => t.key)));
    await eventually(
      () => profile('CRM-551208'),
      (x) => quotes(x, 'cp-erased'),
      120_000,
    );
    const erased = await svc.request('/v1/customers/CRM-551208', { role: 'crm', method: 'DELETE' });
    assert.equal(erased.status, 200);

    browser = await launchBrowser();
    ({ page, errors } = await newConsolePage(browser, { width: 1440, height: 900 }));
    await signIn(page, svc);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });
  afterEach(() => {
    assert.deepEqual(errors.splice(0), [], 'no errors in the browser console');
  });

  const shot = (name: string, p = page) =>
    p.screenshot({ path: `${ARTIFACTS}/customer-page-${name}.png`, fullPage: true });
  const loaded = (p = page) => p.waitForSelector('#customer[data-state="done"]');
  const tagItem = (key: string) => `#active-tags li[data-key="${key}"]`;

  /** What the page must show for this customer, whichever way it was reached. */
  async function assertProfileShown(p: Page): Promise<void> {
    await loaded(p);
    assert.equal(await p.textContent('#customer-id'), customerId);
    assert.equal(new URL(p.url()).searchParams.get('id'), customerId, 'the URL carries the customer');
    const item = tagItem('need.mortgage');
    assert.equal(await p.textContent(`${item} .chip`), '需求·房贷');
    const quote = await p.textContent(`${item} blockquote.quote`);
    assert.equal(quote, mortgage.evidence[0]!.quote);
    assert.match(quote ?? '', /房贷/);
    const lifetime = await p.textContent(`${item} dl.lifetime`);
    const day = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
    assert.ok(lifetime?.includes(`有效至${day(mortgage.validUntil)}`), lifetime ?? '');
    assert.ok(lifetime?.includes(`首次出现${day(mortgage.firstSeen)}`), lifetime ?? '');
    assert.ok(lifetime?.includes(`会话数${mortgage.count}`), lifetime ?? '');
    assert.ok(lifetime?.includes(`置信度${Math.round(mortgage.confidence * 100)}%`), lifetime ?? '');
    assert.ok(lifetime?.includes('状态有效'), lifetime ?? '');
    assert.ok(await p.isVisible(`${tagItem('complaint.fees')} blockquote.quote`));
    assert.equal(await p.textContent(`${tagItem('complaint.open')} .chip`), '投诉未解决');
    // consent: the refusal heard in the chat
    const consent = await p.textContent('#consent');
    assert.match(consent ?? '', /勿营销\(拒绝营销\)是:自 .+ 至 .+,来源:客户在会话中拒绝/);
    assert.match(consent ?? '', /拒绝个性化营销否/);
    // the timeline: newest first, with channel and labels
    const timeline = await p.$$eval('#timeline li[data-id]', (els) =>
      els.map((e) => ({ id: e.getAttribute('data-id'), text: e.textContent ?? '' })),
    );
    assert.deepEqual(
      timeline.map((t) => t.id),
      ['cp-fee-chat', 'cp-home-call'],
    );
    assert.match(timeline[0]!.text, /在线[\s\S]*投诉·收费\/手续费\/年费/);
    assert.match(timeline[1]!.text, /电话[\s\S]*需求·房贷/);
    assert.ok(!(await p.content()).includes(PHONE), 'no clear-text number on the page');
  }

  it('opens the customer from a search result: tags with quotes and lifetimes, consent, timeline', async () => {
    await page.fill('#q', '房贷 买房');
    await page.click('#search-btn');
    await page.waitForSelector('#results li.result[data-id="cp-home-call"]');
    await page.click('#results li.result[data-id="cp-home-call"] a.customer-link');
    await page.waitForURL(/\/console\/customer\.html\?id=/);
    await assertProfileShown(page);
    await shot('01-from-search');
    assert.deepEqual(await axeViolations(page), [], 'no serious accessibility violations');
  });

  it('follows a quote back to its sentence in the conversation', async () => {
    const evidence = mortgage.evidence[0]!;
    await page.click(`${tagItem('need.mortgage')} a.evidence-link`);
    await page.waitForURL(/\/console\?conv=cp-home-call&utt=\d+/);
    const focused = await page.waitForSelector('#conversation:not([hidden]) #conv-utterances li.focused');
    assert.equal(await focused.getAttribute('data-utterance'), String(evidence.utterance));
    assert.equal(await focused.getAttribute('aria-current'), 'true');
    assert.ok((await focused.textContent())?.includes(evidence.quote));
    assert.ok(await focused.isVisible());
    await shot('02-evidence-sentence');
  });

  it('opens the customer from the conversation view, and the page survives a reload', async () => {
    await page.click('#conv-labels a.customer-link');
    await page.waitForURL(/\/console\/customer\.html\?id=/);
    await assertProfileShown(page);
    await page.reload();
    await assertProfileShown(page);
  });

  it('opens a conversation from the timeline', async () => {
    await page.click('#timeline li[data-id="cp-fee-chat"] a.conv-link');
    await page.waitForSelector('#conversation:not([hidden]) #conv-utterances li');
    assert.equal(await page.textContent('#conv-title'), '会话 cp-fee-chat');
    await page.goBack();
    await loaded();
  });

  it('asked with the clear number, shows only the pseudonym and keeps it out of the address bar', async () => {
    await page.goto(`${svc.url}/console/customer.html?id=${PHONE}`);
    await loaded();
    assert.equal(new URL(page.url()).searchParams.get('id'), customerId);
    assert.equal(await page.textContent('#customer-id'), customerId);
    assert.ok(!(await page.content()).includes(PHONE));
  });

  it('tells in Chinese that a customer has no profile, or that it was erased', async () => {
    await page.goto(`${svc.url}/console/customer.html?id=CRM-000000`);
    await loaded();
    assert.match((await page.textContent('#error')) ?? '', /没有这个客户的画像/);
    assert.ok(await page.isHidden('#profile'));
    assert.match((await page.textContent('#timeline')) ?? '', /没有找到这个客户的会话/);

    await page.goto(`${svc.url}/console/customer.html?id=CRM-551208`);
    await loaded();
    assert.match((await page.textContent('#error')) ?? '', /画像已于 .+ 按个人信息保护要求删除/);
    assert.ok(await page.isHidden('#profile'));
    assert.deepEqual(
      await page.$$eval('#timeline li[data-id]', (els) => els.map((e) => e.getAttribute('data-id'))),
      ['cp-erased'],
      'the conversations themselves are not erased with the profile',
    );
    await shot('03-erased');
  });

  it('refuses a CRM key and fits 390 px for an admin', async () => {
    const phone = await newConsolePage(browser, { width: 390, height: 844 });
    const url = `${svc.url}/console/customer.html?id=${encodeURIComponent(customerId)}`;
    await phone.page.goto(url);
    await phone.page.fill('#api-key', svc.keys.crm);
    await phone.page.click('#login-form button');
    await phone.page.waitForSelector('#login-error:has-text("没有分析员权限")');
    await phone.page.fill('#api-key', svc.keys.admin);
    await phone.page.click('#login-form button');
    await assertProfileShown(phone.page);
    const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `page is ${width} px wide`);
    const quote = await phone.page.$eval(`${tagItem('need.mortgage')} blockquote.quote`, (e) =>
      e.getBoundingClientRect().toJSON(),
    );
    assert.ok(quote.left >= 0 && quote.right <= 390, `quote at ${quote.left}–${quote.right}`);
    await shot('04-390px', phone.page);
    assert.deepEqual(phone.errors, []);
    await phone.page.close();
  });
});
