import type { Router } from 'express';
import { z } from 'zod';
import { CHANNELS } from '../../domain/conversation.js';
import { COMPETITOR_IDS } from '../../domain/labels.js';
import type { CompetitorReportRequest } from '../../reports/competitor-report-service.js';
import { dayBound, isoWeekOf, isoWeekPeriod } from '../../reports/period.js';
import type { ReportFacade } from '../../reports/report-facade.js';
import type { RouteRegistry } from '../route.js';

const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);
const MAX_SPAN_MS = 366 * 86_400_000;

export const competitorReportQuery = z
  .object({
    from: dateOrDateTime
      .optional()
      .describe('Inclusive start (date in China Standard Time, or date-time); default: Monday of this week'),
    to: dateOrDateTime.optional().describe('Inclusive end; default: Sunday of this week'),
    interval: z
      .enum(['day', 'week', 'month'])
      .default('week')
      .describe('Trend buckets (the trend covers the baseline periods and this one)'),
    channel: z.enum(CHANNELS).optional(),
    baselinePeriods: z.coerce
      .number()
      .int()
      .min(1)
      .max(12)
      .default(4)
      .describe('Periods of the same length before this one that a rise is tested against'),
  })
  .refine((q) => (q.from === undefined) === (q.to === undefined), {
    message: 'give both `from` and `to`, or neither (this week)',
    path: ['from'],
  })
  .transform((q, ctx) => {
    const week = isoWeekPeriod(isoWeekOf(Date.now()));
    const from = q.from === undefined ? week.from : dayBound(q.from, false);
    const to = q.to === undefined ? week.to : dayBound(q.to, true);
    const span = Date.parse(to) - Date.parse(from);
    if (span < 0) ctx.addIssue({ code: 'custom', message: '`from` must not be after `to`', path: ['from'] });
    if (span > MAX_SPAN_MS)
      ctx.addIssue({ code: 'custom', message: 'a report covers at most 366 days', path: ['to'] });
    const request: CompetitorReportRequest = {
      from,
      to,
      interval: q.interval,
      baselinePeriods: q.baselinePeriods,
      ...(q.channel ? { channel: q.channel } : {}),
    };
    return request;
  });

const stamp = (r: CompetitorReportRequest): string => `${r.from.slice(0, 10)}_${r.to.slice(0, 10)}`;

export function reportRoutes(router: Router, routes: RouteRegistry, reports: ReportFacade): void {
  const responses = { 200: 'The report', 400: 'Invalid parameters' };
  routes.add(router, {
    method: 'get',
    path: '/v1/reports/competitors',
    access: ['analyst'],
    tag: 'reports',
    summary:
      'Competitor report of a period: mentions (= the search filtered on the competitor), customers, share of voice, trend, change with a significance test, aspects, switching, sentiment, representative quotes, emerging names',
    query: competitorReportQuery,
    responses,
    handler: async (_req, res, query) => {
      res.json(await reports.competitors.build(query));
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/reports/competitors.csv',
    access: ['analyst'],
    tag: 'reports',
    summary: 'The competitor report as CSV (UTF-8 with BOM, Chinese headers, one row per competitor)',
    query: competitorReportQuery,
    responses,
    handler: async (_req, res, query) => {
      const csv = await reports.csv(query);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="competitors-${stamp(query)}.csv"`);
      res.send(csv);
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/reports/competitors.pdf',
    access: ['analyst'],
    tag: 'reports',
    summary: 'The competitor report as PDF: the console report page printed by headless Chromium',
    query: competitorReportQuery,
    responses: { ...responses, 503: 'Chromium is not installed or failed' },
    handler: async (_req, res, query) => {
      const pdf = await reports.pdf(query);
      res.setHeader('content-type', 'application/pdf');
      res.setHeader('content-disposition', `attachment; filename="competitors-${stamp(query)}.pdf"`);
      res.send(pdf);
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/reports/competitors/weekly',
    access: ['analyst'],
    tag: 'reports',
    summary:
      'Generate and store the competitor report of an ISO week now (as the Monday 08:00 job does); replaces an earlier run of that week',
    query: z.object({
      week: z
        .string()
        .regex(/^\d{4}-W\d{2}$/, 'expected an ISO week like 2026-W45')
        .optional()
        .describe('ISO week, e.g. 2026-W45; default: last week'),
    }),
    responses: {
      201: 'The stored report (without its body)',
      400: 'Invalid or future week',
      503: 'Chromium failed',
    },
    handler: async (_req, res, query) => {
      const { summary } = await reports.generateWeeklyReport(query.week);
      res.status(201).json(withLinks(summary));
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/admin/taxonomy/competitor-names',
    access: ['admin'],
    tag: 'reports',
    summary:
      'Add an emerging name to the taxonomy: written into models/taxonomy/competitors.yaml (names of `id`, default other_bank), the taxonomy reloaded in this process, a dry-run re-analysis started (GET /v1/admin/reanalysis)',
    query: z.object({
      name: z.string().min(1).max(40).describe('The name as customers say it, e.g. 宁波银行'),
      id: z.enum(COMPETITOR_IDS).default('other_bank').describe('The competitor it names'),
    }),
    responses: {
      202: 'Added; the dry-run re-analysis runs in the background',
      400: 'Not a name, already known, or the taxonomy would not load',
      409: 'A re-analysis is running',
    },
    handler: async (_req, res, query) => {
      res.status(202).json(await reports.addToTaxonomy(query.name, query.id));
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/reports',
    access: ['analyst'],
    tag: 'reports',
    summary: 'Stored reports (the weekly competitor reports), newest period first, with download links',
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(52) }),
    responses: { 200: 'Reports' },
    handler: async (_req, res, query) => {
      res.json({ items: (await reports.list(query.limit)).map(withLinks) });
    },
  });
  for (const format of ['pdf', 'csv', 'json'] as const) {
    routes.add(router, {
      method: 'get',
      path: format === 'json' ? '/v1/reports/:id' : `/v1/reports/:id.${format}`,
      access: ['analyst'],
      tag: 'reports',
      summary: `A stored report${format === 'json' ? ' with its body' : ` as ${format.toUpperCase()}`}`,
      responses: { 200: 'The report', 404: 'No report with that id' },
      handler: async (req, res) => {
        const id = String(req.params.id);
        const body = await reports.stored(id, format);
        if (format === 'json') {
          res.json(body);
          return;
        }
        res.setHeader('content-type', format === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8');
        res.setHeader(
          'content-disposition',
          `attachment; filename="${id.replace(/[^\w.-]/g, '_')}.${format}"`,
        );
        res.send(body);
      },
    });
  }
}

function withLinks<T extends { id: string }>(summary: T): T & { links: Record<string, string> } {
  const base = `/v1/reports/${encodeURIComponent(summary.id)}`;
  return { ...summary, links: { json: base, pdf: `${base}.pdf`, csv: `${base}.csv` } };
}
