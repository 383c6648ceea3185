/**
 * The competitor report through the HTTP API, on both storage modes, with conversations analysed by
 * the real engine: counts equal the search, quotes are the customer's redacted words, the CSV opens in
 * Excel, and the PDF (printed by Chromium) holds the Chinese names and numbers (pdftotext, pdftoppm).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exitOf, spawnVoc } from '../helpers/spawn-voc.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const WEEK = { from: '2026-11-02', to: '2026-11-08' };

const conv = (id: string, startedAt: string, customer: string[], customerId = `cust-${id}`) => ({
  id,
  channel: 'call',
  startedAt,
  customerId,
  utterances: customer.flatMap((text) => [
    { speaker: 'agent', text: '您好，请问有什么可以帮您' },
    { speaker: 'customer', text },
  ]),
});

/** Hand-counted: in week 45 招商银行 is named in 3 conversations (2 customers), 建设银行 in 1. */
const CONVERSATIONS = [
  conv('r1', '2026-11-02T10:00:00+08:00', ['招商银行的大额存单利率比你们高多了'], 'cust-a'),
  conv('r2', '2026-11-03T11:00:00+08:00', ['我已经把钱都转到招商银行去了'], 'cust-a'),
  conv('r3', '2026-11-04T15:00:00+08:00', [
    '招商银行的客户经理昨天打我电话13812345678说可以办',
    '你们的手续费太贵了',
  ]),
  conv('r4', '2026-11-05T09:30:00+08:00', ['建设银行的信用卡年费全免']),
  conv('r5', '2026-11-06T14:00:00+08:00', ['宁波银行的理财收益比你们高']),
  conv('r6', '2026-11-06T16:00:00+08:00', ['我想查一下账单']),
  // the week before: 招商银行 once
  conv('p1', '2026-10-28T10:00:00+08:00', ['招商银行的利率更高']),
];

function pdftotext(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-pdf-'));
  try {
    const file = path.join(dir, 'report.pdf');
    fs.writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', '50', '-png', file, path.join(dir, 'page')]);
    const pages = fs.readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    assert.ok(pages.length >= 1, 'pdftoppm made no page');
    for (const p of pages) {
      const png = fs.readFileSync(path.join(dir, p));
      assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
      assert.ok(png.length > 5000, `${p} is almost empty`);
    }
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`competitor report API (${mode})`, function () {
    let svc: TestService;

    before(async () => {
      svc = await startTestService(mode);
      const res = await svc.request('/v1/conversations', {
        role: 'ingest',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(CONVERSATIONS),
      });
      assert.equal(res.status, 202);
      await eventually(
        async () => {
          await svc.service.container.stores.conversations.refresh();
          return svc.service.container.stores.conversations.count();
        },
        (n) => n >= CONVERSATIONS.length,
        120_000,
      );
    });
    after(() => svc?.stop());

    const qs = (extra: Record<string, string> = {}) => new URLSearchParams({ ...WEEK, ...extra }).toString();

    it('counts what the search filtered on each competitor shows', async () => {
      const res = await svc.request(`/v1/reports/competitors?${qs({ interval: 'day' })}`, {
        role: 'analyst',
      });
      assert.equal(res.status, 200);
      const report = await res.json();
      assert.equal(report.period.conversations, 6);
      const byId = Object.fromEntries(report.competitors.map((c: { id: string }) => [c.id, c]));
      assert.equal(byId.cmb.name, '招商银行');
      assert.equal(byId.cmb.mentions, 3);
      assert.equal(byId.cmb.customers, 2);
      assert.equal(byId.cmb.change.previous, 1);
      assert.equal(byId.cmb.change.delta, 2);
      assert.equal(byId.cmb.change.significant, false, 'three mentions after one is no significant rise');
      assert.equal(byId.ccb.mentions, 1);
      assert.equal(byId.cmb.trend.length, 35, 'five weeks of days: four baseline weeks and this one');
      for (const c of report.competitors) {
        const search = await svc.request(`/v1/search?${qs({ competitor: c.id, limit: '1' })}`, {
          role: 'analyst',
        });
        assert.equal((await search.json()).total, c.mentions, c.id);
      }
      // quotes: the customer's own redacted words, never the agent's
      const quotes = byId.cmb.quotes.map((q: { text: string }) => q.text);
      assert.ok(quotes.length >= 2);
      assert.ok(quotes.every((t: string) => t.includes('招商银行')));
      assert.ok(!JSON.stringify(report).includes('13812345678'));
      assert.ok(!quotes.some((t: string) => t.includes('您好')));
      assert.deepEqual(
        report.emerging.map((e: { name: string; mentions: number }) => [e.name, e.mentions]),
        [['宁波银行', 1]],
      );
      assert.ok(report.summary[0].includes('共 6 通会话'));
    });

    it('answers CSV with BOM, Chinese headers and unquoted numbers', async () => {
      const res = await svc.request(`/v1/reports/competitors.csv?${qs()}`, { role: 'analyst' });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/csv; charset=utf-8/);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = bytes.subarray(3).toString('utf8').split('\r\n');
      assert.match(lines[0] ?? '', /^竞品,编号,提及会话数,客户数,声量份额,/);
      assert.match(lines.find((l) => l.startsWith('招商银行,')) ?? '', /^招商银行,cmb,3,2,0\.\d+,1,2,否,/);
    });

    it('prints a PDF that holds the Chinese names and the numbers', async function () {
      if (mode === 'distributed') this.timeout(180_000);
      const res = await svc.request(`/v1/reports/competitors.pdf?${qs()}`, { role: 'analyst' });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      const text = pdftotext(Buffer.from(await res.arrayBuffer()));
      for (const word of [
        '竞品分析报告',
        '2026-11-02',
        '招商银行',
        '建设银行',
        '宁波银行',
        '本期要点',
        '客户原话',
      ])
        assert.ok(text.includes(word), `PDF text lacks ${word}`);
      assert.match(text, /招商银行\s+3\s+2\s+/);
    });

    it('runs the weekly job: the report is stored, listed and downloadable', async function () {
      await svc.service.container.queue.enqueue('competitor-report', 'competitor-report-2026-W45', {
        week: '2026-W45',
      });
      type Item = { id: string; title: string; links: Record<'json' | 'pdf' | 'csv', string> };
      const list: Item[] = await eventually(
        async () => (await (await svc.request('/v1/reports', { role: 'analyst' })).json()).items as Item[],
        (items) => items.some((i) => i.id === 'competitors-2026-W45'),
        120_000,
      );
      const item = list[0] as Item;
      assert.equal(item.title, '竞品分析报告 2026-W45');
      assert.equal(item.links.pdf, '/v1/reports/competitors-2026-W45.pdf');
      const pdf = await svc.request(item.links.pdf, { role: 'analyst' });
      assert.equal(pdf.status, 200);
      const text = pdftotext(Buffer.from(await pdf.arrayBuffer()));
      assert.ok(text.includes('招商银行') && text.includes('2026-11-08'));
      const csv = await (await svc.request(item.links.csv, { role: 'analyst' })).text();
      assert.match(csv, /\r\n招商银行,cmb,3,2,/);
      const json = await (await svc.request(item.links.json, { role: 'analyst' })).json();
      assert.equal(json.report.period.interval, 'week');
      assert.equal(
        (await svc.request('/v1/reports/competitors-1999-W01.pdf', { role: 'analyst' })).status,
        404,
      );
    });

    it('makes a past week from the command line the same way', async function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'voc-report-cli-'));
      try {
        const out = path.join(dir, 'report.pdf');
        const env: Record<string, string> =
          mode === 'embedded'
            ? { DATA_DIR: svc.dataDir }
            : {
                ELASTICSEARCH_URL: process.env.TEST_ELASTICSEARCH_URL ?? '',
                REDIS_URL: process.env.TEST_REDIS_URL ?? '',
                ELASTICSEARCH_INDEX_PREFIX: svc.indexPrefix,
                QUEUE_PREFIX: svc.queuePrefix,
                ID_HASH_SECRET: 'test-secret-0123456789abcdef',
              };
        const child = spawnVoc(['report', 'competitors', '--week', '2026-W44', '--out', out], env);
        assert.equal(await exitOf(child, 120_000), 0, child.output());
        const text = pdftotext(fs.readFileSync(out));
        assert.ok(text.includes('竞品分析报告') && text.includes('2026-10-26'), text.slice(0, 300));
        assert.match(text, /招商银行\s+1\s+1\s+/);
        const bad = spawnVoc(['report', 'competitors', '--week', '2026-45', '--out', out], env);
        assert.equal(await exitOf(bad, 60_000), 1);
        assert.match(bad.output(), /ISO week like 2026-W45/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const ids = (await (await svc.request('/v1/reports', { role: 'analyst' })).json()).items.map(
        (i: { id: string }) => i.id,
      );
      assert.ok(ids.includes('competitors-2026-W44'), ids.join());
      const future = await svc.request('/v1/reports/competitors/weekly?week=2099-W01', {
        role: 'analyst',
        method: 'POST',
      });
      assert.equal(future.status, 400);
      assert.match(JSON.stringify(await future.json()), /has not started yet/);
    });

    it('says what is wrong with a request, and who may ask', async () => {
      const bad = await svc.request('/v1/reports/competitors?from=2026-11-08&to=2026-11-02', {
        role: 'analyst',
      });
      assert.equal(bad.status, 400);
      assert.match(JSON.stringify(await bad.json()), /from/);
      const channel = await svc.request(`/v1/reports/competitors?${qs({ channel: 'fax' })}`, {
        role: 'analyst',
      });
      assert.equal(channel.status, 400);
      const half = await svc.request('/v1/reports/competitors?from=2026-11-02', { role: 'analyst' });
      assert.equal(half.status, 400);
      assert.equal((await svc.request(`/v1/reports/competitors?${qs()}`, { role: 'ingest' })).status, 403);
      assert.equal((await svc.request(`/v1/reports/competitors?${qs()}`, { role: 'none' })).status, 401);
    });
  });
}
