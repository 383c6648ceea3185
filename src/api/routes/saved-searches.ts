import type { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import type { SavedSearch, SavedSearchService } from '../../search/saved-search-service.js';
import type { AuthenticatedRequest, RouteRegistry } from '../route.js';
import { fromBeforeTo, jsonBody, searchParamsObject } from './search.js';

/** A saved search stays small: bigger than this is not a search an analyst typed. */
export const MAX_SAVED_QUERY_BYTES = 8 * 1024;

const savedSearchBody = z.object({
  name: z.string().trim().min(1).max(100),
  shared: z.boolean().default(false).describe('Share with the team at once (default: private)'),
  query: searchParamsObject
    .strict()
    .refine(fromBeforeTo, { message: '`from` must not be after `to`', path: ['from'] })
    .describe('The search parameters, as GET/POST /v1/search take them (no other keys)'),
});

/** The parameters as the client sent them (known keys only), if they fit the size limit. */
function storedQuery(raw: unknown): Record<string, unknown> {
  const query = (raw as { query: Record<string, unknown> }).query;
  const bytes = Buffer.byteLength(JSON.stringify(query));
  if (bytes > MAX_SAVED_QUERY_BYTES) {
    throw new ValidationError('Invalid saved search', [
      { where: 'body.query', message: `${bytes} bytes of JSON; at most ${MAX_SAVED_QUERY_BYTES}` },
    ]);
  }
  return query;
}

export function savedSearchRoutes(router: Router, routes: RouteRegistry, saved: SavedSearchService): void {
  const owner = (req: AuthenticatedRequest): string => req.apiKey?.id ?? '';
  const keyName = (req: AuthenticatedRequest): string => req.apiKey?.name ?? '';
  // `mine` tells the console which searches it may share, unshare or delete.
  const view = (req: AuthenticatedRequest, s: SavedSearch) => ({ ...s, mine: s.owner === owner(req) });
  routes.add(router, {
    method: 'get',
    path: '/v1/saved-searches',
    access: ['analyst'],
    tag: 'search',
    summary: 'The searches saved with this API key and those shared with the team, newest first',
    responses: { 200: 'Saved searches, each with `mine`' },
    handler: async (req, res) => {
      res.json({ items: (await saved.list(owner(req))).map((s) => view(req, s)) });
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
    responses: {
      201: 'Saved',
      400: 'Invalid name or search parameters, unknown keys, or a query over 8 KiB',
      415: 'Not JSON',
    },
    handler: async (req, res, _query, { body }) => {
      const key = { id: owner(req), name: keyName(req) };
      const search = await saved.create(key, body.name, storedQuery(req.body), body.shared);
      res.status(201).json(view(req, search));
    },
  });
  routes.add(router, {
    method: 'put',
    path: '/v1/saved-searches/:id/shared',
    access: ['analyst'],
    tag: 'search',
    summary: 'Share one of your saved searches with the team, or make it private again',
    params: z.object({ id: z.string().min(1).max(200).describe('The saved search id') }),
    body: z.object({ shared: z.boolean().describe('true: every analyst key lists it; false: only you') }),
    bodyContentTypes: ['application/json'],
    before: [jsonBody],
    responses: {
      200: 'The saved search with its new flag',
      400: 'No boolean `shared`',
      403: 'Shared by another analyst: only its owner can change it',
      404: 'No such search visible to you',
      415: 'Not JSON',
    },
    handler: async (req, res, _query, { params, body }) => {
      res.json(view(req, await saved.setShared(owner(req), params.id, body.shared)));
    },
  });
  routes.add(router, {
    method: 'delete',
    path: '/v1/saved-searches/:id',
    access: ['analyst'],
    tag: 'search',
    summary: 'Delete one of your saved searches',
    params: z.object({ id: z.string().min(1).max(200).describe('The saved search id') }),
    responses: {
      204: 'Deleted',
      403: 'Shared by another analyst: only its owner can delete it',
      404: 'No such search visible to you',
    },
    handler: async (req, res, _query, { params }) => {
      await saved.delete(owner(req), params.id);
      res.status(204).end();
    },
  });
}
