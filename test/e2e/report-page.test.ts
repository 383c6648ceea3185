/**
 * The competitor report on the demo data (`npm run demo`'s 2,000 conversations, seed 42), through the
 * API and in headless Chromium: every count of a chosen week is what the search shows, the report
 * page renders it, and a count opens those conversations in the console.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateConversations } from '../../pipelines/demo-data/generate.js';
import { eventually, startTestService, type TestService } from '../helpers/test-service.js';

const ARTIFACTS = 'test-artifacts';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
/** ISO week 2026-W30 of the demo calendar. */
const WEEK = { from: '2026-07-20', to: '2026-07-26' };

interface Entry {
  id: string;
  name: string;
  mentions: number;
  switching: number;
  aspects: Record<string, number>;
}

describe('competitor report on the demo data (browser)', function () {
  this.timeout(600_000);
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let report: { period: { conversations: number }; competitors: Entry[] };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startTestService('embedded');
    const conversations = [...generateConversations({ count: 2000, seed: 42 })];
    for (let i = 0; i < conversations.length; i += 500) {
      const res = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(conversations.slice(i, i + 500)),
      });
      assert.equal(res.status, 202);
    }
    await eventually(
      () => svc.service.container.stores.conversations.count(),
      (n) => n >= conversations.length,
      400_000,
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' });
    await page.addInitScript((key) => sessionStorage.setItem('voc.apiKey', key), svc.keys.analyst);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  const total = async (params: Record<string, string>): Promise<number> => {
    const qs = new URLSearchParams({ ...WEEK, limit: '1', facets: 'false', ...params });
    const res = await svc.request(`/v1/search?${qs}`, { role: 'analyst' });
    assert.equal(res.status, 200);
    return (await res.json()).total;
  };

  it('counts for a chosen week what the search shows', async () => {
    const res = await svc.request(`/v1/reports/competitors?${new URLSearchParams(WEEK)}`, {
      role: 'analyst',
    });
    assert.equal(res.status, 200);
    report = await res.json();
    assert.ok(report.competitors.length >= 5, `only ${report.competitors.length} competitors named`);
    assert.equal(report.period.conversations, await total({}));
    for (const c of report.competitors) {
      assert.equal(c.mentions, await total({ competitor: c.id }), `${c.id} mentions`);
      assert.equal(c.switching, await total({ switching: c.id }), `${c.id} switching`);
      for (const [aspect, n] of Object.entries(c.aspects))
        assert.equal(n, await total({ competitor: c.id, aspect }), `${c.id} ${aspect}`);
    }
  });

  it('renders the report page, and a count opens its conversations in the console', async () => {
    await page.goto(`${svc.url}/console/reports.html?${new URLSearchParams(WEEK)}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#chart-share svg');
    const top = report.competitors[0] as Entry;
    const row = `#table tr[data-competitor="${top.id}"]`;
    assert.equal((await page.textContent(`${row} td:first-child`))?.trim(), top.name);
    assert.equal(Number(await page.textContent(`${row} td.mentions`)), top.mentions);
    assert.equal(await page.locator('#table tr[data-competitor]').count(), report.competitors.length);
    assert.ok((await page.locator('#quotes blockquote').count()) > 0);
    assert.match((await page.textContent('#summary')) ?? '', /共 \d+ 通会话/);
    await page.screenshot({ path: `${ARTIFACTS}/report-page.png`, fullPage: true });
    await page.click(`${row} td.mentions a`);
    await page.waitForSelector(`#total:has-text("共 ${top.mentions} 通会话")`);
    await page.screenshot({ path: `${ARTIFACTS}/report-drilldown.png` });
  });
});
