import type { Router } from 'express';
import { z } from 'zod';
import type { TagExportService } from '../../profiles/tag-export-service.js';
import type { AuthenticatedRequest, RouteRegistry } from '../route.js';

/** GET /v1/tags/export: every active tag as CSV or NDJSON, streamed and audited. */
export function tagExportRoutes(router: Router, routes: RouteRegistry, exporter: TagExportService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/tags/export',
    access: ['crm'],
    tag: 'profiles',
    summary:
      'Every active tag, one row per (customer, tag), as CSV (UTF-8 with BOM, Chinese headers) or NDJSON; ' +
      'the X-Tag-Feed-Cursor header is where to continue with GET /v1/tag-feed; audited',
    query: z.object({ format: z.enum(['csv', 'ndjson']).default('csv') }),
    responses: { 200: 'The export', 400: 'Unknown format' },
    handler: async (req: AuthenticatedRequest, res, query) => {
      const progress = { rows: 0 };
      const { cursor, chunks } = await exporter.open(query.format, progress);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
      res.status(200);
      res.setHeader(
        'content-type',
        query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      );
      res.setHeader('content-disposition', `attachment; filename="voc-tags-${stamp}.${query.format}"`);
      res.setHeader('x-tag-feed-cursor', cursor);
      try {
        for await (const chunk of chunks) {
          if (res.destroyed) break;
          if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
        }
      } finally {
        await exporter.record({
          actor: req.apiKey?.id ?? '',
          actorName: req.apiKey?.name ?? '',
          rows: progress.rows,
          format: query.format,
        });
      }
      res.end();
    },
  });
}
