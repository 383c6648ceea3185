import type { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { TaxonomyReloader } from '../../control/taxonomy-reload.js';
import { ReanalysisRunningError, type ReanalysisService } from '../../reanalysis/reanalysis-service.js';
import type { RouteRegistry } from '../route.js';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export function adminRoutes(
  router: Router,
  routes: RouteRegistry,
  deps: { reanalysis: ReanalysisService; control: TaxonomyReloader },
): void {
  routes.add(router, {
    method: 'post',
    path: '/v1/admin/taxonomy/reload',
    access: ['admin'],
    tag: 'admin',
    summary:
      'Re-read the taxonomy and dictionary files here, then in every API and worker process (Redis pub/sub); an invalid file is refused and nothing changes anywhere. GET /v1/admin/taxonomy shows each process’s version',
    responses: { 200: 'The versions now in use here', 400: 'The files do not validate' },
    handler: async (_req, res) => {
      let report;
      try {
        report = await deps.control.reloadEverywhere();
      } catch (err) {
        throw new AppError(400, 'invalid_taxonomy', err instanceof Error ? err.message : String(err));
      }
      res.json({ ...report, broadcast: true });
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/admin/taxonomy',
    access: ['admin'],
    tag: 'admin',
    summary:
      'Every running API and worker process with the taxonomy and dictionary versions it analyses with, and its last reload',
    responses: { 200: '{processes}' },
    handler: async (_req, res) => {
      res.json({ processes: await deps.control.processes() });
    },
  });

  routes.add(router, {
    method: 'post',
    path: '/v1/admin/reanalysis',
    access: ['admin'],
    tag: 'admin',
    summary:
      'Start re-analysing stored conversations with the current taxonomy, dictionary and model, as queued batch jobs that any worker takes and that survive a crash (dryRun=true only reports, in this process, what would change per label)',
    query: z.object({ dryRun: flag, force: flag }),
    responses: { 202: 'Started; poll GET /v1/admin/reanalysis', 409: 'One is already running' },
    handler: async (_req, res, query) => {
      const conflict = () =>
        new AppError(409, 'conflict', 'A re-analysis is already running; see GET /v1/admin/reanalysis');
      if (await deps.reanalysis.running()) throw conflict();
      if (query.dryRun) {
        res.status(202).json(deps.reanalysis.start({ dryRun: true }));
        return;
      }
      try {
        res.status(202).json(await deps.reanalysis.startQueued({ force: query.force }));
      } catch (err) {
        if (err instanceof ReanalysisRunningError) throw conflict();
        throw err;
      }
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/admin/reanalysis',
    access: ['admin'],
    tag: 'admin',
    summary:
      'Progress of the current or last re-analysis (a queued run: conversations of finished batches out of the total, from the store, whichever process asks), with the dry-run report',
    responses: { 200: 'Progress' },
    handler: async (_req, res) => {
      res.json(await deps.reanalysis.progressNow());
    },
  });
}
