import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Router } from 'express';
import { z } from 'zod';
import type { ExportService } from '../../search/export-service.js';
import { MAX_EXPORT_ROWS } from '../../search/export-service.js';
import type { AuthenticatedRequest, RouteRegistry } from '../route.js';
import { fromBeforeTo, searchParamsObject, toSearchRequest, type SearchParams } from './search.js';

const exportQuery = searchParamsObject
  .extend({
    format: z.enum(['csv', 'xlsx', 'ndjson']).default('csv'),
    maxRows: z.coerce.number().int().min(1).max(MAX_EXPORT_ROWS).default(10_000).describe('Row limit'),
  })
  .refine(fromBeforeTo, { message: '`from` must not be after `to`', path: ['from'] });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const stamp = (): string => new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');

export function exportRoutes(router: Router, routes: RouteRegistry, exporter: ExportService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/search/export',
    access: ['analyst'],
    tag: 'search',
    summary:
      'Export every match of a search (newest first) as CSV (UTF-8 with BOM), .xlsx (sheets 会话 and 匹配语句) or NDJSON, streamed; audited',
    query: exportQuery,
    responses: { 200: 'The export', 400: 'Invalid parameters or query syntax' },
    handler: async (req: AuthenticatedRequest, res, query) => {
      const { format, maxRows, ...params } = query;
      const request = toSearchRequest(params as SearchParams);
      const progress = { rows: 0 };
      const audit = () =>
        exporter.record({
          actor: req.apiKey?.id ?? '',
          actorName: req.apiKey?.name ?? '',
          query: { ...params },
          rows: progress.rows,
          format,
        });
      if (format === 'xlsx') {
        exporter.check(request); // a query error becomes a 400 before headers are sent
        res.status(200);
        res.setHeader('content-type', XLSX_TYPE);
        res.setHeader('content-disposition', `attachment; filename="voc-export-${stamp()}.xlsx"`);
        // The workbook ends its stream; the response ends only after the audit entry is written.
        const workbook = new PassThrough();
        workbook.pipe(res, { end: false });
        res.once('close', () => {
          if (!res.writableFinished) workbook.destroy(); // the client went away: stop scanning
        });
        try {
          await exporter.writeXlsx(request, maxRows, progress, workbook);
          if (!workbook.readableEnded && !workbook.destroyed)
            await Promise.race([once(workbook, 'end'), once(workbook, 'close')]);
        } finally {
          await audit();
        }
        res.end();
        return;
      }
      const chunks = exporter.chunks(request, format, maxRows, progress);
      const first = await chunks.next(); // a query error becomes a 400 before headers are sent
      res.status(200);
      res.setHeader(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      );
      res.setHeader(
        'content-disposition',
        `attachment; filename="voc-export-${stamp()}.${format === 'csv' ? 'csv' : 'ndjson'}"`,
      );
      try {
        if (first.done !== true) res.write(first.value);
        for await (const chunk of chunks) {
          if (res.destroyed) break;
          if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        }
      } finally {
        await audit();
      }
      res.end();
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/audit',
    access: ['admin'],
    tag: 'search',
    summary: 'The audit log of exports and label corrections, newest first',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    responses: { 200: 'Audit entries' },
    handler: async (_req, res, query) => {
      res.json({ items: await exporter.listAudit(query.limit) });
    },
  });
}
