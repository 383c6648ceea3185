/**
 * An analyst corrects labels in the console's conversation view (headless Chromium, real
 * Elasticsearch): marks a wrong label, adds a missed one with the picker, finds both in
 * GET /v1/corrections, and sees them kept after an admin re-analyses everything.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, type TestService } from '../helpers/test-service.js';
import { startDemoService } from './demo-service.js';

const ARTIFACTS = 'test-artifacts';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

interface Correction {
  conversationId: string;
  utterance: number;
  label: string;
  action: string;
  actorName: string;
  labelsBefore: string[];
  labelsAfter: string[];
}
interface Stored {
  agentId: string;
  processedAt: string;
  analysis: { lifeEvents: string[]; evidence: { label: string; utterance: number }[] };
}

describe('label corrections in the console (browser)', function () {
  this.timeout(300_000);
  let svc: TestService;
  let browser: Browser;
  let page: Page;
  let conversationId: string;
  let wrong: { label: string; utterance: number };
  let added: { label: string; utterance: number };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    svc = await startDemoService('distributed', 120);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  });
  after(async () => {
    await browser?.close();
    await svc?.stop();
  });

  const shot = (name: string) =>
    page.screenshot({ path: `${ARTIFACTS}/corrections-${name}.png`, fullPage: true });
  const conversation = async (): Promise<Stored> =>
    (await (await svc.request(`/v1/conversations/${encodeURIComponent(conversationId)}`)).json()) as Stored;

  it('marks a wrong label on a sentence and adds a missed one with the Chinese label picker', async () => {
    await page.goto(`${svc.url}/console`);
    await page.fill('#api-key', svc.keys.analyst);
    await page.click('#login-form button');
    await page.waitForSelector('#results[data-state="done"] li.result');
    await page.check('#facets .facet[data-facet="complaintCategory"] input');
    await page.waitForSelector('#results[data-state="done"] li.result');
    await page.click('#results li.result');
    await page.waitForSelector('#conversation:not([hidden]) .remove-label');

    const first = page.locator('#conv-utterances li:has(.remove-label)').first();
    wrong = {
      label: (await first.locator('.remove-label').first().getAttribute('data-label')) ?? '',
      utterance: Number(await first.getAttribute('data-utterance')),
    };
    conversationId = ((await page.textContent('#conv-title')) ?? '').replace(/^会话\s*/, '');
    assert.ok(wrong.label && conversationId, `${wrong.label} on ${conversationId}`);
    await shot('01-before');

    await first.locator(`.remove-label[data-label="${wrong.label}"]`).click();
    await page.waitForSelector('#conv-status:has-text("已记录")');
    const row = `#conv-utterances li[data-utterance="${wrong.utterance}"]`;
    assert.equal(await page.locator(`${row} .chip[data-label="${wrong.label}"]`).count(), 0);

    // The picker lists labels in Chinese, grouped; add a life event the engine did not find.
    const stored = await conversation();
    const event = ['retirement', 'marriage', 'new_child', 'study_abroad'].find(
      (e) => !stored.analysis.lifeEvents.includes(e),
    )!;
    added = { label: `lifeEvent:${event}`, utterance: wrong.utterance };
    await page.click(`${row} button.correct`);
    await page.selectOption(`${row} .correction-action`, 'add');
    const options = await page.$$eval(`${row} .label-picker optgroup`, (groups) =>
      groups.map((g) => g.getAttribute('label')),
    );
    assert.ok(options.includes('人生事件') && options.includes('投诉'), options.join(','));
    await page.selectOption(`${row} .label-picker`, added.label);
    await page.click(`${row} .correction-form button[type="submit"]`);
    await page.waitForSelector(`${row} .chip[data-label="${added.label}"]:has-text("事件·")`);
    await page.waitForSelector('#conv-corrections li >> nth=1');
    await shot('02-corrected');
  });

  it('finds both corrections in GET /v1/corrections, with the analyst and the labels before and after', async () => {
    const response = await svc.request(
      `/v1/corrections?conversationId=${encodeURIComponent(conversationId)}`,
      {
        role: 'analyst',
      },
    );
    assert.equal(response.status, 200);
    const { items } = (await response.json()) as { items: Correction[] };
    assert.deepEqual(
      items.map((c) => [c.action, c.label, c.utterance]),
      [
        ['add', added.label, added.utterance],
        ['remove', wrong.label, wrong.utterance],
      ],
    );
    const removal = items[1]!;
    assert.equal(removal.actorName, 'test analyst');
    assert.ok(removal.labelsBefore.includes(wrong.label) && !removal.labelsAfter.includes(wrong.label));
  });

  it('keeps the corrections through a re-analysis of every conversation', async () => {
    const before = await conversation();
    const started = await svc.request('/v1/admin/reanalysis?force=true', { method: 'POST' });
    assert.equal(started.status, 202);
    const done = await eventually(
      async () => (await (await svc.request('/v1/admin/reanalysis')).json()) as { state: string },
      (s) => s.state !== 'running',
      180_000,
    );
    assert.equal(done.state, 'completed', JSON.stringify(done));
    const after = await conversation();
    assert.notEqual(after.processedAt, before.processedAt, 'the conversation was re-analysed');
    const labels = after.analysis.evidence.map((e) => e.label);
    assert.ok(!labels.includes(wrong.label), `${wrong.label} stays removed`);
    assert.ok(labels.includes(added.label), `${added.label} stays added`);
    assert.ok(after.analysis.lifeEvents.includes(added.label.slice('lifeEvent:'.length)));

    // And the console shows it so: find the conversation again by its agent and the added life event.
    await page.click('#conv-close');
    await page.click('#clear-filters');
    await page.fill('#agents', after.agentId);
    await page.dispatchEvent('#agents', 'change');
    await page.check(
      `#facets .facet[data-facet="lifeEvent"] input[data-value="${added.label.slice('lifeEvent:'.length)}"]`,
    );
    await page.waitForSelector(`#results[data-state="done"] li.result[data-id="${conversationId}"]`);
    await page.click(`#results li.result[data-id="${conversationId}"]`);
    const row = `#conv-utterances li[data-utterance="${wrong.utterance}"]`;
    await page.waitForSelector(`${row} .chip[data-label="${added.label}"]`);
    assert.equal(await page.locator(`#conv-utterances .chip[data-label="${wrong.label}"]`).count(), 0);
    await shot('03-after-reanalysis');
  });
});
