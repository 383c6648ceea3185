/** Shared pieces of the console's browser tests: Chromium, sign-in, API truths to compare with. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { eventually, type TestService } from '../helpers/test-service.js';

export const ARTIFACTS = 'test-artifacts';
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

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A page that fails the test on any console error or uncaught exception in the browser. */
export async function newConsolePage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN', acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // 4xx answers the test provokes on purpose (a syntax error) are logged by Chromium as failed loads
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) errors.push(msg.text());
  });
  return { page, errors };
}

export async function signIn(page: Page, svc: TestService, path = '/console'): Promise<void> {
  await page.goto(`${svc.url}${path}`);
  await page.fill('#api-key', svc.keys.analyst);
  await page.click('#login-form button');
  await page.waitForSelector('#app:not([hidden])');
  await page.waitForSelector('#results[data-state="done"]');
}

/** The API's own answer for a search (the truth the console must show). */
export async function apiSearch(
  svc: TestService,
  params: Record<string, string>,
): Promise<{ total: number; facets: Record<string, { value: string; count: number }[]> }> {
  const qs = new URLSearchParams(params).toString();
  const res = await svc.request(`/v1/search?${qs}`, { role: 'analyst' });
  if (!res.ok) throw new Error(`search ${qs}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { total: number; facets: Record<string, { value: string; count: number }[]> };
}

export const totalShown = async (page: Page): Promise<number> =>
  Number((await page.textContent('#total'))?.replace(/\D/g, ''));

/** Waits until the console shows `n` as the total after a finished search. */
export async function waitForTotal(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    (expected) =>
      document.getElementById('results')?.dataset.state === 'done' &&
      Number(document.getElementById('total')?.textContent?.replace(/\D/g, '')) === expected,
    n,
  );
}

/** Uploads extra conversations through the API and waits until they are searchable. */
export async function ingest(svc: TestService, conversations: unknown[]): Promise<void> {
  const before = await svc.service.container.stores.conversations.count();
  const res = await svc.request('/v1/conversations', {
    role: 'ingest',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(conversations),
  });
  if (res.status !== 202) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  await eventually(
    async () => {
      await svc.service.container.stores.conversations.refresh();
      return svc.service.container.stores.conversations.count();
    },
    (n) => n >= before + conversations.length,
    120_000,
  );
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Serious and critical accessibility violations (axe-core) on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE); // through the DevTools protocol: the page's CSP does not apply
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            options: unknown,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.join(', ')}`);
}
