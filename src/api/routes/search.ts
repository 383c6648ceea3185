import type { Router } from 'express';
import { z } from 'zod';
import { CHANNELS } from '../../domain/conversation.js';
import type { SearchService } from '../../search/search-service.js';
import type { RouteRegistry } from '../route.js';

const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const searchQuerySchema = z
  .object({
    q: z.string().max(500).optional().describe('Chinese full text; every word must occur'),
    from: dateOrDateTime.optional().describe('Inclusive start (date or date-time)'),
    to: dateOrDateTime.optional().describe('Inclusive end (date or date-time)'),
    channel: z.enum(CHANNELS).optional(),
    sort: z.enum(['relevance', 'time']).default('relevance'),
    limit: z.coerce.number().int().min(1).max(100).default(20),
    after: z.string().max(2000).optional().describe('The `next` cursor of the previous page'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '`from` must not be after `to`',
    path: ['from'],
  });

/** A bare date bound covers the whole day, in China Standard Time. */
function dayBound(value: string | undefined, end: boolean): string | undefined {
  if (!value || value.includes('T')) return value;
  return `${value}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`;
}

export function searchRoutes(router: Router, routes: RouteRegistry, search: SearchService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/search',
    access: ['analyst'],
    tag: 'search',
    summary:
      'Search conversations: segmented Chinese full text, date range, channel; matching utterances highlighted',
    query: searchQuerySchema,
    responses: { 200: 'Matching conversations', 400: 'Invalid parameters' },
    handler: async (_req, res, query) => {
      const from = dayBound(query.from, false);
      const to = dayBound(query.to, true);
      res.json(
        await search.search({
          sort: query.sort,
          limit: query.limit,
          ...(query.q ? { q: query.q } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(query.channel ? { channel: query.channel } : {}),
          ...(query.after ? { after: query.after } : {}),
        }),
      );
    },
  });
}
