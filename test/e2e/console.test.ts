/**
 * The analyst console in headless Chromium (Debian's /usr/bin/chromium through playwright-core)
 * against a service on real Elasticsearch with demo data. One screenshot per page goes to
 * test-artifacts/.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestService } from '../helpers/test-service.js';
import { startDemoService } from './demo-service.js';

const ARTIFACTS = 'test-artifacts';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

describe('analyst console (browser)', function () {
  this.timeout(300_000);
  let svc: TestService;
  let browser: Browser;
  let page: Page;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startDemoService('distributed', 300);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({
      viewport: { width: 1440, height: 1000 },
      locale: 'zh-CN',
      acceptDownloads: true,
    });
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  const shot = (name: string): Promise<Buffer> =>
    page.screenshot({ path: `${ARTIFACTS}/console-${name}.png`, fullPage: true });

  it('refuses a wrong key and signs in with an analyst key', async () => {
    await page.goto(`${svc.url}/console`);
    await page.fill('#api-key', 'voc_wrong');
    await page.click('#login-form button');
    await page.waitForSelector('#login-error:has-text("无效")');
    await shot('01-login');
    const data = await page.evaluate(() => fetch('/v1/search').then((r) => r.status));
    assert.equal(data, 401, 'nothing is reachable without a key');
    await page.fill('#api-key', svc.keys.analyst);
    await page.click('#login-form button');
    await page.waitForSelector('#app:not([hidden])');
    await page.waitForSelector('#total:has-text("共 300 通会话")');
  });

  it('searches a word, shows highlighted sentences, facets and the trend chart', async () => {
    await page.fill('#q', '年费');
    await page.click('#search-btn');
    await page.waitForSelector('#results[data-state="done"] li.result mark');
    const total = Number((await page.textContent('#total'))?.replace(/\D/g, ''));
    assert.ok(total > 0 && total < 300, `total ${total}`);
    const marks = await page.$$eval('#results li.result mark', (els) => els.map((e) => e.textContent));
    assert.ok(
      marks.every((m) => m === '年费'),
      marks.join(','),
    );
    await page.waitForSelector('#facets .facet[data-facet="complaintCategory"]');
    await page.waitForSelector('#chart canvas');
    await shot('02-search');
  });

  it('narrows by a facet: a competitor', async () => {
    const box = '#facets .facet[data-facet="competitor"]';
    const value = await page.getAttribute(`${box} input`, 'data-value');
    const count = Number(await page.textContent(`${box} li .count`));
    const name = (await page.textContent(`${box} li label`))?.replace(/\d+\s*$/, '').trim() ?? '';
    await page.check(`${box} input[data-value="${value ?? ''}"]`);
    await page.waitForSelector(`#chips .chip:has-text("${name}")`);
    await page.waitForFunction(
      (n) => Number(document.getElementById('total')?.textContent?.replace(/\D/g, '')) === n,
      count,
    );
    const labelled = await page.$$eval(
      '#results li.result',
      (els, n) => els.every((e) => e.textContent?.includes(`竞品·${n}`)),
      name,
    );
    assert.ok(labelled, `every result carries the competitor label ${name}`);
    await shot('03-facet');
  });

  it('opens a conversation with its labels and evidence marked', async () => {
    await page.click('#results li.result');
    await page.waitForSelector('#conversation:not([hidden]) mark.evidence');
    const evidence = await page.$$eval('#conv-utterances li:has(mark.evidence)', (els) =>
      els.map((e) => e.querySelector('.speaker')?.textContent),
    );
    assert.ok(evidence.length > 0);
    assert.ok(
      evidence.every((s) => s === '客户'),
      'evidence is in customer utterances',
    );
    await page.waitForSelector('#conv-labels .chip:has-text("竞品")');
    await page.waitForSelector('#conv-utterances .labels .chip:has-text("竞品")');
    await shot('04-conversation');
    await page.click('#conv-close');
  });

  it('saves the search and exports it to CSV with a BOM, and the export is audited', async () => {
    page.once('dialog', (dialog) => void dialog.accept('年费投诉'));
    await page.click('#save-search');
    await page.waitForSelector('#saved li a:has-text("年费投诉")');
    const total = Number((await page.textContent('#total'))?.replace(/\D/g, ''));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    assert.ok(csv.startsWith('\uFEFF会话ID,开始时间'), csv.slice(0, 40));
    assert.equal(csv.trim().split('\r\n').length, total + 1);
    assert.match(csv, /年费/);
    const audit = (await (await svc.request('/v1/audit')).json()) as {
      items: { action: string; rows: number; actorName: string; query: { q?: string } }[];
    };
    assert.equal(audit.items[0]?.action, 'export');
    assert.equal(audit.items[0]?.rows, total);
    assert.equal(audit.items[0]?.actorName, 'test analyst');
    assert.equal(audit.items[0]?.query.q, '年费');
    await shot('05-saved-export');
  });

  it('answers "how did mentions of 余额宝 develop" with a monthly trend', async () => {
    await page.click('#clear-filters');
    await page.fill('#q', '余额宝');
    await page.selectOption('#interval', 'month');
    await page.click('#search-btn');
    await page.waitForSelector('#results[data-state="done"] li.result mark:has-text("余额宝")');
    const points = await page.evaluate(() => {
      const chart = (
        window as unknown as {
          echarts: { getInstanceByDom(el: Element | null): { getOption(): { xAxis: { data: string[] }[] } } };
        }
      ).echarts;
      return chart.getInstanceByDom(document.getElementById('chart')).getOption().xAxis[0]?.data;
    });
    assert.ok(
      points !== undefined && points.length >= 2 && points.every((p) => /^\d{4}-\d{2}-01$/.test(p)),
      String(points),
    );
    await shot('06-trend');
  });

  it('finds customers talking about moving money, from agents a-011 to a-020', async () => {
    await page.fill('#q', '转到 OR 转走');
    await page.selectOption('#speaker', 'customer');
    await page.fill('#agents', 'a-011~a-020');
    await page.click('#search-btn');
    await page.waitForSelector('#results[data-state="done"] li.result');
    const agents = await page.$$eval('#results li.result .meta', (els) =>
      els.map((e) => /坐席 (a-\d+)/.exec(e.textContent ?? '')?.[1]),
    );
    assert.ok(agents.length > 0);
    assert.ok(
      agents.every((a) => a !== undefined && a >= 'a-011' && a <= 'a-020'),
      agents.join(','),
    );
    await shot('07-team');
  });
});
