/**
 * Saved searches shared with the team (issue 12 item 3), in headless Chromium against a service on
 * real Elasticsearch: analyst A saves and shares a search; analyst B, signed in with another key in
 * another browser context, sees it with A's name, opens it, and has no way to unshare or delete it
 * (no toggle, and the API refuses with 403).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { TestService } from '../helpers/test-service.js';
import { startDemoService } from './demo-service.js';
import { ARTIFACTS, axeViolations, launchBrowser, newConsolePage, signIn } from './console-browser.js';

describe('analyst console: saved searches shared with the team (browser)', function () {
  this.timeout(300_000);
  let svc: TestService;
  let browser: Browser;
  let a: { page: Page; errors: string[] };
  let b: { page: Page; errors: string[] };
  let keyB: string;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startDemoService('distributed', 100);
    keyB = (await svc.service.container.keys.create('analyst', '分析员乙')).key;
    browser = await launchBrowser();
    a = await newConsolePage(browser, { width: 1440, height: 900 });
    b = await newConsolePage(browser, { width: 1440, height: 900 });
    await signIn(a.page, svc);
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });
  afterEach(() => {
    assert.deepEqual([...a.errors.splice(0), ...b.errors.splice(0)], [], 'no errors in the browser console');
  });

  it('A saves a search and shares it; B sees it with its owner, opens it, and cannot unshare it', async () => {
    const { page } = a;
    await page.fill('#q', '年费');
    await page.click('#search-btn');
    await page.waitForSelector('#results[data-state="done"]');
    page.once('dialog', (dialog) => void dialog.accept('年费(团队)'));
    await page.click('#save-search');
    const mine = page.locator('#saved li', { hasText: '年费(团队)' });
    await mine.locator('.owner', { hasText: '我' }).waitFor();
    assert.equal(await mine.locator('.share-toggle input').isChecked(), false);
    await mine.locator('.share-toggle input').check();
    await page.locator('#saved li', { hasText: '已共享' }).waitFor();
    const id = await mine.getAttribute('data-id');
    assert.ok(id);
    assert.deepEqual(await axeViolations(page), [], 'no serious accessibility violations');

    const other = b.page;
    await other.goto(`${svc.url}/console`);
    await other.fill('#api-key', keyB);
    await other.click('#login-form button');
    await other.waitForSelector('#results[data-state="done"]');
    const shared = other.locator('#saved li', { hasText: '年费(团队)' });
    await shared.waitFor();
    assert.match((await shared.locator('.owner').textContent()) ?? '', /test analyst · 已共享/);
    assert.equal(await shared.locator('.share-toggle').count(), 0, 'no share toggle for B');
    assert.equal(await shared.locator('button.delete').count(), 0, 'no delete for B');
    await other.screenshot({ path: `${ARTIFACTS}/saved-search-shared-b.png` });
    await shared.locator('a').click();
    await other.waitForFunction(() => new URL(location.href).searchParams.get('q') === '年费');
    assert.equal(await other.inputValue('#q'), '年费');

    const unshare = await other.evaluate(
      async ([searchId, key]) =>
        (
          await fetch(`/v1/saved-searches/${searchId}/shared`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ shared: false }),
          })
        ).status,
      [id, keyB],
    );
    assert.equal(unshare, 403);
    await other.reload();
    await other.locator('#saved li', { hasText: '年费(团队)' }).waitFor();

    await mine.locator('.share-toggle input').uncheck();
    await page.locator('#saved li', { hasText: '已共享' }).waitFor({ state: 'detached' });
    await other.reload();
    await other.waitForSelector('#results[data-state="done"]');
    await other.waitForSelector('#saved li');
    assert.equal(
      await other.locator('#saved li', { hasText: '年费(团队)' }).count(),
      0,
      'unshared: gone for B',
    );
  });
});
