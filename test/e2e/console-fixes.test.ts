/**
 * What the morning's trial of the console found broken (issue 12), one browser test each, in
 * headless Chromium against a service on real Elasticsearch with demo data plus a few
 * conversations written for the highlight cases.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import type { TestService } from '../helpers/test-service.js';
import { startDemoService } from './demo-service.js';
import {
  ARTIFACTS,
  apiSearch,
  ingest,
  launchBrowser,
  newConsolePage,
  signIn,
  totalShown,
  waitForTotal,
} from './console-browser.js';

const EXTRA = [
  {
    id: 'trad-1',
    channel: 'call',
    startedAt: '2026-10-12T10:00:00+08:00',
    agentId: 'a-901',
    utterances: [
      { speaker: 'agent', text: '您好,请问有什么可以帮您', startMs: 0 },
      { speaker: 'customer', text: '你們的年費太貴了,能不能免掉', startMs: 3500 },
      { speaker: 'customer', text: '手续费收得太高了,利率也高', startMs: 9000 },
      { speaker: 'customer', text: '高兴不起来,手续费的事情我都说了好几遍了', startMs: 15000 },
    ],
  },
];

describe('analyst console: what the trial found (browser)', function () {
  this.timeout(300_000);
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startDemoService('distributed', 300);
    await ingest(svc, EXTRA);
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

  const shot = (name: string): Promise<Buffer> =>
    page.screenshot({ path: `${ARTIFACTS}/console-fixes-${name}.png`, fullPage: false });
  const search = async (q: string): Promise<void> => {
    await page.fill('#q', q);
    await page.click('#search-btn');
    await page.waitForSelector('#results[data-state="done"]', { state: 'attached' });
  };
  const clear = async (): Promise<void> => {
    await page.click('#clear-filters');
    await page.waitForSelector('#results[data-state="done"]', { state: 'attached' });
  };

  it('opens a conversation at 1440 px beside the results, nothing cut off, the chart follows', async () => {
    await search('年费');
    await page.click('#results li.result');
    await page.waitForSelector('#conversation:not([hidden]) #conv-utterances li');
    const layout = await page.evaluate(() => ({
      pageWidth: document.documentElement.scrollWidth,
      conversation: document.getElementById('conversation')!.getBoundingClientRect().toJSON() as DOMRect,
      sidebar: document.getElementById('sidebar')!.getBoundingClientRect().toJSON() as DOMRect,
      results: document.getElementById('results')!.getBoundingClientRect().toJSON() as DOMRect,
      header: document.querySelector('header')!.getBoundingClientRect().toJSON() as DOMRect,
    }));
    assert.ok(layout.pageWidth <= 1440, `page is ${layout.pageWidth} px wide`);
    assert.ok(layout.conversation.width >= 560, `conversation ${layout.conversation.width} px`);
    assert.ok(layout.sidebar.left >= 0 && layout.sidebar.right <= layout.conversation.left);
    assert.ok(layout.results.right <= layout.conversation.left + 1, 'results are not under the panel');
    assert.ok(layout.results.width >= 400, `results column ${layout.results.width} px`);
    assert.ok(layout.header.right <= layout.conversation.left + 1, 'the search bar stays usable');
    await page.waitForFunction(() => {
      const chart = document.getElementById('chart')!.getBoundingClientRect().width;
      const canvas = document.querySelector('#chart canvas')!.getBoundingClientRect().width;
      return Math.abs(chart - canvas) < 2;
    });
    await shot('01-conversation-1440');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#conversation', { state: 'hidden' });
  });

  it('asks "complaints only" with the 是否投诉 control', async () => {
    await clear();
    await search('');
    await page.selectOption('#complaint', 'true');
    const truth = await apiSearch(svc, { complaint: 'true' });
    await waitForTotal(page, truth.total);
    const all = await page.$$eval('#results li.result', (els) =>
      els.every((e) => /投诉/.test(e.textContent ?? '')),
    );
    assert.ok(all, 'every result is a complaint');
    await page.waitForSelector('#chips .chip:has-text("仅投诉")');
    await page.click('#chips .chip:has-text("仅投诉") button');
    await waitForTotal(page, (await apiSearch(svc, {})).total);
  });

  it('keeps the other values of a ticked facet and adds a second one (OR), counts as the API says', async () => {
    await clear();
    const box = '#facets .facet[data-facet="competitor"]';
    const [first, second] = await page.$$eval(`${box} input`, (els) =>
      els.slice(0, 2).map((e) => e.getAttribute('data-value') ?? ''),
    );
    assert.ok(first && second);
    await page.check(`${box} input[data-value="${first}"]`);
    await waitForTotal(page, (await apiSearch(svc, { competitor: first })).total);
    // the second bank is still offered, with the count it adds
    const truth = await apiSearch(svc, { competitor: first });
    const offered = Number(await page.textContent(`${box} li:has(input[data-value="${second}"]) .count`));
    assert.equal(offered, truth.facets.competitor?.find((f) => f.value === second)?.count);
    await page.check(`${box} input[data-value="${second}"]`);
    await waitForTotal(page, (await apiSearch(svc, { competitor: `${first},${second}` })).total);
    assert.equal(await page.locator(`${box} input:checked`).count(), 2);
    // a chip removes its filter
    assert.equal(await page.locator('#chips .filter-chip').count(), 2);
    await page.click(`#chips .filter-chip:nth-child(1) button`);
    await waitForTotal(page, (await apiSearch(svc, { competitor: second })).total);
  });

  it('keeps 转移意向 and 竞品 apart', async () => {
    await clear();
    const box = '#facets .facet[data-facet="switchingIntent"]';
    const value = (await page.getAttribute(`${box} input`, 'data-value')) ?? '';
    await page.check(`${box} input[data-value="${value}"]`);
    const truth = await apiSearch(svc, { switching: value });
    const count = Number(await page.textContent(`${box} li:has(input[data-value="${value}"]) .count`));
    await waitForTotal(page, truth.total);
    assert.equal(count, truth.total, 'the facet count is what ticking it gives');
    assert.equal(
      await page
        .locator(`#facets .facet[data-facet="competitor"] input[data-value="${value}"]:checked`)
        .count(),
      0,
      'the competitor facet is not ticked',
    );
    const switching = await page.$$eval('#results li.result', (els) =>
      els.every((e) => /\(转移\)/.test(e.textContent ?? '')),
    );
    assert.ok(switching, 'every result has a switching intent');
    await page.waitForSelector('#chips .chip:has-text("转移意向")');
  });

  it('marks matches found through Traditional characters and NEAR, and search words inside label marks', async () => {
    await clear();
    await search('年费');
    const trad = '#results li.result[data-id="trad-1"]';
    await page.waitForSelector(trad);
    assert.deepEqual(await page.$$eval(`${trad} mark.hit`, (els) => els.map((e) => e.textContent)), ['年費']);
    await search('手续费 NEAR/3 高');
    await page.waitForSelector(trad);
    assert.deepEqual(
      await page.$$eval(`${trad} .sentence`, (els) =>
        els.map((e) => [...e.querySelectorAll('mark')].map((m) => m.textContent)),
      ),
      [['手续费', '高']],
      'only the sentence where the pair is near; not 高 elsewhere',
    );
    await page.click(trad);
    await page.waitForSelector('#conv-utterances li[data-utterance="2"] mark.hit');
    assert.equal(await page.locator('#conv-utterances li[data-utterance="3"] mark.hit').count(), 0);
    assert.match((await page.textContent('#conv-utterances li[data-utterance="1"] time')) ?? '', /00:03/);
    await page.keyboard.press('Escape');
    // a demo conversation whose 年费 lies inside label evidence keeps both marks
    await search('年费');
    const ids = await page.$$eval('#results li.result', (els) =>
      els.map((e) => (e as HTMLElement).dataset.id),
    );
    let found = false;
    for (const id of ids.slice(0, 10)) {
      await page.click(`#results li.result[data-id="${id}"]`);
      await page.waitForSelector('#conversation:not([hidden]) #conv-utterances li');
      await page.waitForFunction(
        (cid) => document.getElementById('conv-title')?.textContent?.includes(cid ?? ''),
        id,
      );
      if ((await page.locator('#conv-utterances mark.evidence mark.hit').count()) > 0) {
        found = true;
        break;
      }
    }
    assert.ok(found, 'a search word inside a label mark is still marked');
    await shot('02-marks');
    await page.keyboard.press('Escape');
  });

  it('shows a syntax error in Chinese with its position, without stale results, and a loading state', async () => {
    await clear();
    await page.fill('#q', '年费 (手续费 OR');
    await page.click('#search-btn');
    await page.waitForSelector('#error:has-text("查询语法有误")');
    assert.equal(await page.getAttribute('#results', 'data-state'), 'error');
    const message = (await page.textContent('#error')) ?? '';
    assert.match(message, /第 \d+ 个字符/);
    assert.doesNotMatch(message, /[A-Za-z]{4,}/, message);
    assert.equal(await page.locator('#results li.result').count(), 0);
    assert.equal(await page.textContent('#total'), '—');
    errors.splice(0); // Chromium logs the 400 of the bad query
    // while a search runs, the console says so
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/search', async (route) => {
      await gate;
      await route.continue();
    });
    await page.fill('#q', '年费');
    await page.click('#search-btn');
    await page.waitForSelector('#search-status:has-text("正在搜索")');
    assert.equal(await page.getAttribute('#results', 'data-state'), 'loading');
    release();
    await page.waitForSelector('#results[data-state="done"] li.result');
    await page.unroute('**/v1/search');
    assert.equal(await page.textContent('#search-status'), '');
  });

  it('exports CSV with Chinese headers and label names and plain numbers; the button says CSV', async () => {
    await clear();
    await search('年费');
    assert.equal((await page.textContent('#export-csv'))?.trim(), '导出 CSV');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csv = readFileSync(await download.path(), 'utf8');
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.match(header ?? '', /^会话ID,开始时间\(北京时间\),渠道,坐席,客户,是否投诉,投诉类别/);
    assert.equal(rows.length, await totalShown(page));
    assert.doesNotMatch(csv, /'-?\d/, 'numbers are not quoted as text');
    assert.doesNotMatch(csv, /,(fees|icbc|cmb|call|chat),/);
    assert.match(csv, /收费\/手续费\/年费/);
  });

  it('exports .xlsx from the button that says Excel: sheets 会话 and 匹配语句, Chinese headers', async () => {
    await clear();
    await search('年费');
    assert.equal((await page.textContent('#export-xlsx'))?.trim(), '导出 Excel (.xlsx)');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
    assert.match(download.suggestedFilename(), /^voc-export-\d+\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await download.path());
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      ['会话', '匹配语句'],
    );
    const sheet = workbook.getWorksheet('会话');
    assert.ok(sheet);
    assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1, 4), [
      '会话ID',
      '开始时间(北京时间)',
      '渠道',
    ]);
    assert.equal(sheet.actualRowCount - 1, await totalShown(page));
    const categories: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) categories.push(row.getCell(7).value);
    });
    assert.ok(categories.includes('收费/手续费/年费'), 'label names in Chinese');
    const utterances = workbook.getWorksheet('匹配语句');
    assert.ok(utterances && utterances.actualRowCount > 1, 'matching utterances on the second sheet');
    assert.match(String(utterances.getRow(2).getCell(4).value), /年[费費]/);
  });

  it('redacts a phone number in a saved search name', async () => {
    page.once('dialog', (dialog) => void dialog.accept('客户13812345678的年费投诉'));
    await page.click('#save-search');
    await page.waitForSelector('#saved li a:has-text("5678的年费投诉")');
    const names = await page.$$eval('#saved li a', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(
      names.every((n) => !n.includes('13812345678')),
      names.join(','),
    );
    assert.ok(names.includes('客户*******5678的年费投诉'), names.join(','));
  });

  it('signs out: the key is gone from the form and 登录 does not sign straight back in', async () => {
    await page.click('#logout');
    await page.waitForSelector('#login:not([hidden])');
    assert.equal(await page.inputValue('#api-key'), '');
    await page.click('#login-form button');
    assert.equal(await page.isHidden('#app'), true);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await signIn(page, svc);
  });

  it('is usable at 390 px: one column, filters behind a button, the conversation full screen', async () => {
    const { page: phone, errors: phoneErrors } = await newConsolePage(browser, { width: 390, height: 844 });
    await signIn(phone, svc);
    const media = await phone.evaluate(
      () =>
        [...document.styleSheets].flatMap((s) => [...s.cssRules]).filter((r) => r instanceof CSSMediaRule)
          .length,
    );
    assert.ok(media > 0, 'the stylesheet has @media rules');
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    assert.equal(await phone.isVisible('#sidebar'), false);
    await phone.click('#toggle-filters');
    await phone.waitForSelector('#sidebar #facets .facet');
    await phone.screenshot({ path: `${ARTIFACTS}/console-fixes-03-phone-filters.png` });
    await phone.click('#toggle-filters');
    await phone.fill('#q', '年费');
    await phone.click('#search-btn');
    await phone.waitForSelector('#results[data-state="done"] li.result');
    const result = await phone.locator('#results li.result').first().boundingBox();
    assert.ok(result !== null && result.width >= 340, `result card ${result?.width} px`);
    await phone.click('#results li.result');
    await phone.waitForSelector('#conversation:not([hidden]) #conv-utterances li');
    const conv = await phone.locator('#conversation').boundingBox();
    assert.ok(conv !== null && conv.x === 0 && conv.width === 390, JSON.stringify(conv));
    assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await phone.screenshot({ path: `${ARTIFACTS}/console-fixes-04-phone-conversation.png` });
    await phone.close();
    assert.deepEqual(phoneErrors, []);
  });
});
