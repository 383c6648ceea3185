import type { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import type { SavedSearchService } from '../../search/saved-search-service.js';
import type { AuthenticatedRequest, RouteRegistry } from '../route.js';
import { jsonBody, searchParamsSchema } from './search.js';

const savedSearchBody = z.object({
  name: z.string().trim().min(1).max(100),
  query: z
    .record(z.string(), z.unknown())
    .describe('The search parameters, as GET/POST /v1/search take them'),
});

export function savedSearchRoutes(router: Router, routes: RouteRegistry, saved: SavedSearchService): void {
  const owner = (req: AuthenticatedRequest): string => req.apiKey?.id ?? '';
  routes.add(router, {
    method: 'get',
    path: '/v1/saved-searches',
    access: ['analyst'],
    tag: 'search',
    summary: 'The searches saved with this API key, newest first',
    responses: { 200: 'Saved searches' },
    handler: async (req, res) => {
      res.json({ items: await saved.list(owner(req)) });
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/saved-searches',
    access: ['analyst'],
    tag: 'search',
    summary: 'Save a search under a name',
    body: savedSearchBody,
    bodyContentTypes: ['application/json'],
    before: [jsonBody],
    responses: { 201: 'Saved', 400: 'Invalid name or search parameters' },
    handler: async (req, res) => {
      const parsed = savedSearchBody.safeParse(req.body ?? {});
      const params = parsed.success ? searchParamsSchema.safeParse(parsed.data.query) : undefined;
      const issues = [
        ...(parsed.error?.issues ?? []),
        ...(params?.error?.issues.map((i) => ({ ...i, path: ['query', ...i.path] })) ?? []),
      ];
      if (!parsed.success || issues.length > 0) {
        throw new ValidationError(
          'Invalid saved search',
          issues.map((i) => ({ where: `body.${i.path.join('.')}`, message: i.message })),
        );
      }
      res.status(201).json(await saved.create(owner(req), parsed.data.name, parsed.data.query));
    },
  });
  routes.add(router, {
    method: 'delete',
    path: '/v1/saved-searches/:id',
    access: ['analyst'],
    tag: 'search',
    summary: 'Delete one of your saved searches',
    responses: { 204: 'Deleted', 404: 'No such search of yours' },
    handler: async (req, res) => {
      await saved.delete(owner(req), String(req.params.id));
      res.status(204).end();
    },
  });
}
