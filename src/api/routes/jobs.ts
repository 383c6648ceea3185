import type { Router } from 'express';
import { z } from 'zod';
import { JOB_STATES, type IngestService } from '../../ingest/ingest-service.js';
import type { RouteRegistry } from '../route.js';

export function jobRoutes(router: Router, routes: RouteRegistry, ingest: IngestService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/jobs',
    access: ['ingest'],
    tag: 'ingest',
    summary:
      'List ingest jobs in a state; state=failed is the dead-letter list with the reason of each failure',
    query: z.object({
      state: z.enum(JOB_STATES).default('failed'),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
    }),
    responses: { 200: 'Jobs and queue depth' },
    handler: async (_req, res, query) => {
      const { jobs, depth } = await ingest.jobs(query.state, query.limit);
      res.json({ state: query.state, depth, jobs });
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/jobs/:id',
    access: ['ingest', 'analyst'],
    tag: 'ingest',
    summary: 'State, progress (0-100), attempts and failure reason of one ingest job',
    responses: { 200: 'The job', 404: 'Unknown job id' },
    handler: async (req, res) => {
      res.json(await ingest.job(String(req.params.id)));
    },
  });
}
