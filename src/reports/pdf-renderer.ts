/**
 * Prints the console's report page to PDF with headless Chromium (playwright-core driving the
 * system's chromium). The page is served from memory under a private origin with the report
 * injected, so printing needs no running server, no API key and no network.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LABEL_NAMES_MODULE, LABEL_NAMES_PATH } from '../console/label-names-module.js';
import { AppError } from '../errors.js';
import type { CompetitorReport } from './competitor-report-service.js';

const PUBLIC_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/console/public');
const ECHARTS = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
const ORIGIN = 'http://voc-report.invalid';
const TYPES: Record<string, string> = { html: 'text/html', js: 'text/javascript', css: 'text/css' };

export interface PdfOptions {
  /** Chromium binary (default CHROMIUM_PATH or /usr/bin/chromium). */
  executablePath?: string;
}

export class PdfUnavailableError extends AppError {
  constructor(reason: string) {
    super(503, 'pdf_unavailable', `The PDF could not be printed: ${reason}`);
  }
}

/** One print at a time per process: each starts a browser, and a burst of downloads must not start ten. */
let queue: Promise<unknown> = Promise.resolve();

/** The report page printed on A4, Chinese set in Noto Sans CJK (fonts-noto-cjk). */
export function renderReportPdf(report: CompetitorReport, options: PdfOptions = {}): Promise<Buffer> {
  const run = queue.then(() => print(report, options));
  queue = run.catch(() => undefined);
  return run;
}

async function print(report: CompetitorReport, options: PdfOptions): Promise<Buffer> {
  const executablePath = options.executablePath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // Loaded on first use: only the processes that print pay for it.
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  } catch (error) {
    throw new PdfUnavailableError(
      `cannot start Chromium at ${executablePath} (apt-get install -y chromium fonts-noto-cjk): ${(error as Error).message.split('\n')[0] ?? ''}`,
    );
  }
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 1000 } });
    await page.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) return route.abort();
      if (url.pathname === LABEL_NAMES_PATH)
        return route.fulfill({ status: 200, body: LABEL_NAMES_MODULE, contentType: 'text/javascript' });
      const file =
        url.pathname === '/console/vendor/echarts.min.js'
          ? ECHARTS
          : /^\/console\/(reports\.(html|js|css))$/.exec(url.pathname)?.[1];
      if (file === undefined) return route.fulfill({ status: 404, body: '' });
      const body = await readFile(path.isAbsolute(file) ? file : path.join(PUBLIC_DIR, file));
      return route.fulfill({
        status: 200,
        body,
        contentType: TYPES[file.split('.').pop() ?? ''] ?? 'text/plain',
      });
    });
    await page.addInitScript((r) => {
      (window as unknown as { __REPORT__: unknown }).__REPORT__ = r;
    }, report);
    await page.goto(`${ORIGIN}/console/reports.html`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '14mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:8px;width:100%;text-align:center;color:#777"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
  } finally {
    await browser.close();
  }
}
