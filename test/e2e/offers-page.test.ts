/**
 * The closed-loop offer report page in headless Chromium: reached from the console's header, it shows
 * what GET /v1/reports/offers says after real decisions and outcomes (policy and control group):
 * per offer the Chinese name, the acceptance rate and the lift with its 95 % interval, and the chart.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { GroupStats, OfferReport } from '../../src/offers/offer-report.js';
import { inControlGroup } from '../../src/offers/propensity.js';
import { startTestService, type TestService } from '../helpers/test-service.js';
import { ARTIFACTS, launchBrowser, newConsolePage, signIn } from './console-browser.js';

const NOW = Date.parse('2026-11-10T10:00:00+08:00');
const PERIOD = { from: '2026-11-01', to: '2026-11-30' };
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

interface Decision {
  decisionId: string;
  control: boolean;
  offers: { offerId: string }[];
}

describe('offer report page (browser)', function () {
  this.timeout(300_000);
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let report: OfferReport;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startTestService('embedded', {}, ['api', 'worker'], { now: () => NOW });
    // Customers chosen by the control group's own hash: 3 in the control group, 9 not. Each calls
    // comparing a rival's deposit rate (a live conversation), so three offers are made to both groups;
    // every offer gets an outcome, the policy's accepted more often than the control group's.
    const learning = svc.service.container.decisions.catalog.learning;
    const ids = Array.from({ length: 2000 }, (_, n) => `CRM-PAGE-${n}`);
    const control = ids.filter((id) => inControlGroup(id, learning)).slice(0, 3);
    const policy = ids.filter((id) => !inControlGroup(id, learning)).slice(0, 9);
    assert.equal(control.length, 3);
    for (const [i, customerId] of [...control, ...policy].entries()) {
      const res = await svc.request('/v1/decisions', {
        role: 'crm',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          customerId,
          channel: 'call',
          agentId: 'A-007',
          limit: 3,
          conversation: {
            id: `live-${customerId}`,
            channel: 'call',
            startedAt: '2026-11-10T09:50:00+08:00',
            utterances: [
              { speaker: 'agent', text: '您好，安泰银行，请问有什么可以帮您？' },
              { speaker: 'customer', text: '招行的大额存单利率比你们高多了，我想存一笔定期' },
            ],
          },
        }),
      });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const d = JSON.parse(text) as Decision;
      assert.equal(d.control, control.includes(customerId), customerId);
      for (const [k, o] of d.offers.entries()) {
        const accepted = d.control ? (i + k) % 3 === 0 : (i + k) % 3 !== 0;
        const out = await svc.request(`/v1/decisions/${d.decisionId}/outcome`, {
          role: 'crm',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ offerId: o.offerId, outcome: accepted ? 'accepted' : 'declined' }),
        });
        assert.equal(out.status, 201, await out.text());
      }
    }
    const res = await svc.request(`/v1/reports/offers?${new URLSearchParams(PERIOD)}`, { role: 'analyst' });
    assert.equal(res.status, 200);
    report = (await res.json()) as OfferReport;
    assert.ok(
      report.byOffer.filter((g) => g.lift).length >= 2,
      `offers made to both groups, so they have a lift interval: ${JSON.stringify(report.byOffer)}`,
    );
    browser = await launchBrowser();
    ({ page, errors } = await newConsolePage(browser, { width: 1280, height: 1000 }));
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  it('is linked from the console header and shows the report per offer, in Chinese, with the chart', async () => {
    await signIn(page, svc);
    await page.click('#offers-link');
    await page.waitForURL(/\/console\/offers\.html$/);
    await page.fill('#from', PERIOD.from);
    await page.fill('#to', PERIOD.to);
    await page.click('#controls button[type="submit"]');
    await page.waitForSelector('#report:not([hidden])');
    await page.screenshot({ path: `${ARTIFACTS}/offers-page.png`, fullPage: true });

    const totals = await page.textContent('#totals');
    assert.match(
      totals ?? '',
      new RegExp(`决策 ${report.totals.decisions} 次，推荐 ${report.totals.offersMade} 次`),
    );
    const headers = await page.$$eval('#by-offer th', (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(headers.slice(0, 1), ['产品']);
    assert.ok(headers.includes('接受率') && headers.some((h) => h?.startsWith('提升')), headers.join('|'));

    const rows = await page.$$eval('#by-offer tbody tr', (trs) =>
      trs.map((tr) => ({
        key: (tr as HTMLElement).dataset.key,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''),
      })),
    );
    assert.deepEqual(
      rows.map((r) => r.key),
      report.byOffer.map((g) => g.key),
    );
    const column = (name: string) => headers.findIndex((h) => h === name);
    for (const g of report.byOffer as GroupStats[]) {
      const cells = rows.find((r) => r.key === g.key)!.cells;
      assert.ok(g.label && /[\u4e00-\u9fff]/.test(g.label), `${g.key} has a Chinese name`);
      assert.equal(cells[0], `${g.label}（${g.key}）`);
      assert.equal(cells[column('推荐次数')], String(g.offersMade));
      assert.equal(cells[column('接受率')], pct(g.acceptanceRate));
      assert.equal(cells[column('策略组接受率')], pct(g.policy.acceptanceRate));
      assert.equal(cells[column('对照组接受率')], pct(g.control.acceptanceRate));
      const liftCell = cells[cells.length - 1]!;
      if (g.lift)
        assert.equal(
          liftCell,
          `${pct(g.lift.value)}（95% 区间 ${pct(g.lift.ci95[0])} ~ ${pct(g.lift.ci95[1])}）`,
        );
      else assert.equal(liftCell, '—（对照组无数据）');
    }
    const channels = await page.$$eval('#by-channel tbody td:first-child', (tds) =>
      tds.map((td) => td.textContent),
    );
    assert.deepEqual(channels, ['来电（call）']);
    assert.ok(rows.length >= 3, `${rows.length} offers`);

    // The chart: an SVG with both groups in the legend and one category per offer (its Chinese name).
    const chartText = await page.$eval('#chart-offers svg', (svg) => svg.textContent ?? '');
    assert.match(chartText, /策略组/);
    assert.match(chartText, /对照组/);
    for (const g of report.byOffer.slice(0, 15)) assert.ok(chartText.includes(g.label!), g.label);
    // Drawn, not just present: the chart has its box's size and a visible bar per non-zero rate.
    const box = await page.$eval('#chart-offers svg', (svg) => svg.getBoundingClientRect().width);
    assert.ok(box > 300, `chart ${box} px wide`);
    const bars = await page.$$eval(
      '#chart-offers svg path',
      (paths) =>
        paths.filter((p) => {
          const r = p.getBoundingClientRect();
          return r.width > 2 && r.height > 2 && p.getAttribute('fill') && p.getAttribute('fill') !== 'none';
        }).length,
    );
    const nonZero = report.byOffer
      .slice(0, 15)
      .flatMap((g) => [g.policy.acceptanceRate, g.control.acceptanceRate])
      .filter((r) => r).length;
    assert.ok(bars >= nonZero, `${bars} visible bars for ${nonZero} non-zero rates`);
    assert.deepEqual(errors, []);
  });
});
