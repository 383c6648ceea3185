/**
 * A call uploaded with no time anywhere (file, manifest, name, query) is stored with the time it
 * was received; the console's conversation view says so (headless Chromium, embedded store).
 */
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { eventually, startTestService, type TestService } from '../helpers/test-service.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

const call = (taskId: string) =>
  JSON.stringify({
    TaskId: taskId,
    Result: {
      Sentences: [
        { BeginTime: 0, EndTime: 900, ChannelId: 0, Text: '您好，这里是客服中心' },
        { BeginTime: 1000, EndTime: 2000, ChannelId: 1, Text: '我想问一下分期手续费' },
      ],
    },
  });

describe('an upload undated at source, in the console (browser)', function () {
  this.timeout(180_000);
  let svc: TestService;
  let browser: Browser;

  before(async () => {
    svc = await startTestService('embedded');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  it('marks the received time as such, and only there', async () => {
    const form = new FormData();
    form.append('file', new Blob([call('task-undated')]), 'undated.json');
    const dated = new FormData();
    dated.append('file', new Blob([call('task-dated')]), 'dated.json');
    for (const [body, query] of [
      [form, ''],
      [dated, `?startedAt=${encodeURIComponent('2026-11-01T10:00:00+08:00')}`],
    ] as const) {
      const response = await svc.request(`/v1/conversations${query}`, {
        role: 'ingest',
        method: 'POST',
        body,
      });
      assert.equal(response.status, 202);
    }
    for (const id of ['task-undated', 'task-dated'])
      await eventually(
        // a keep-alive connection may be reset while the worker loads the model: ask again
        async () =>
          svc.request(`/v1/conversations/${id}`, { role: 'analyst' }).then(
            (r) => r.status,
            () => 0,
          ),
        (s) => s === 200,
      );
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    await page.goto(`${svc.url}/console?conv=task-undated`);
    await page.fill('#api-key', svc.keys.analyst);
    await page.click('#login-form button');
    await page.waitForSelector('#conversation:not([hidden]) #conv-labels .meta');
    assert.match((await page.textContent('#conv-labels .meta')) ?? '', /来源未注明时间（按接收时间）/);
    await page.goto(`${svc.url}/console?conv=task-dated`);
    await page.waitForSelector('#conversation:not([hidden]) #conv-labels .meta');
    assert.equal(await page.locator('#conv-labels .undated').count(), 0);
    await page.close();
  });
});
