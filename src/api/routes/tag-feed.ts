import type { Router } from 'express';
import { z } from 'zod';
import type { ProfileService } from '../../profiles/profile-service.js';
import type { RouteRegistry } from '../route.js';

/** The ordered change feed of customer tags, for CRM systems that poll. */
export function tagFeedRoutes(router: Router, routes: RouteRegistry, profiles: ProfileService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/tag-feed',
    access: ['crm'],
    tag: 'customers',
    summary:
      'Tag changes after `cursor`, oldest first. Resuming from the last `cursor` returned gives every later change exactly once, in order. The feed keeps TAG_FEED_RETENTION_DAYS (30) days; an older cursor answers 410: read the snapshot',
    query: z.object({
      cursor: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .describe('The `cursor` of the previous answer; none: oldest kept'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    responses: {
      200: '{changes, cursor, hasMore}',
      400: 'Not a cursor of this feed',
      410: 'Cursor older than the retention',
    },
    handler: async (_req, res, query) => {
      res.json(await profiles.feed(query.cursor, query.limit));
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/tag-feed/snapshot',
    access: ['crm'],
    tag: 'customers',
    summary:
      'Every active tag as NDJSON (one {customerId, tag} per line), then a last line {cursor}: continue the feed from it. Changes made while the snapshot is read may appear in both; keep the higher version',
    responses: { 200: 'application/x-ndjson' },
    handler: async (_req, res) => {
      res.status(200).type('application/x-ndjson');
      let cursor = '';
      for await (const item of profiles.snapshot()) {
        if ('cursor' in item) cursor = item.cursor;
        else if (!res.write(`${JSON.stringify(item)}\n`)) await new Promise((r) => res.once('drain', r));
      }
      res.end(`${JSON.stringify({ cursor })}\n`);
    },
  });
}
