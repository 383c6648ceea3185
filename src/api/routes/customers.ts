import type { Router } from 'express';
import { z } from 'zod';
import { isTagKey } from '../../domain/tag.js';
import { AppError, NotFoundError } from '../../errors.js';
import type { ProfileService } from '../../profiles/profile-service.js';
import type { RouteRegistry } from '../route.js';
import { jsonBody } from './search.js';

const consentBody = z.strictObject({
  marketing: z.boolean().optional().describe('Explicit marketing consent recorded by the CRM'),
  doNotMarket: z
    .boolean()
    .optional()
    .describe(
      'true: no sale or retention offers until doNotMarketUntil (default six months); false: lift it',
    ),
  doNotMarketUntil: z.iso.datetime({ offset: true }).optional(),
  personalisationOptOut: z
    .boolean()
    .optional()
    .describe('PIPL art. 24: the customer refused personalised marketing; only generic offers'),
});

const tagQuery = z.object({
  tag: z.string().refine(isTagKey, {
    error: 'unknown tag key; keys look like need.mortgage, complaint.open, competitor.cmb.rate',
  }),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  after: z.string().min(1).optional().describe('The `next` of the previous page'),
});

/** Customer profiles for the CRM and analysts: tags with evidence, consent, erasure. */
export function customerRoutes(router: Router, routes: RouteRegistry, profiles: ProfileService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/customers',
    access: ['crm', 'analyst'],
    tag: 'customers',
    summary: 'Customers holding an active tag, in id order, paged with `after`',
    query: tagQuery,
    responses: { 200: '{customers, next?}', 400: 'Unknown tag key' },
    handler: async (_req, res, query) => {
      const customers = await profiles.customersWithTag(query.tag, query.limit, query.after);
      const next = customers.length === query.limit ? customers[customers.length - 1] : undefined;
      res.json({ tag: query.tag, customers, ...(next ? { next } : {}) });
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/customers/:id',
    access: ['crm', 'analyst'],
    tag: 'customers',
    summary:
      'A customer profile: tags (active and exited) with evidence and lifetimes, consent, conversations. The id may be the CRM’s own; one holding a personal number is looked up by its pseudonym',
    responses: {
      200: 'The profile',
      404: 'No profile for this customer; an erased one says so in details (reason `erased`, when)',
    },
    handler: async (req, res) => {
      const id = profiles.customerId(String(req.params.id));
      const profile = await profiles.get(id);
      if (profile) {
        res.json(profile);
        return;
      }
      const erasedAt = await profiles.erasedAt(id);
      if (!erasedAt) throw new NotFoundError(`Customer ${id}`);
      throw new AppError(404, 'not_found', `Customer ${id}'s profile was erased (PIPL) at ${erasedAt}`, [
        { where: 'id', reason: 'erased', message: erasedAt },
      ]);
    },
  });

  routes.add(router, {
    method: 'put',
    path: '/v1/customers/:id/consent',
    access: ['crm'],
    tag: 'customers',
    summary: 'Set marketing consent, do-not-market and the personalisation opt-out from the CRM',
    body: consentBody,
    bodyContentTypes: ['application/json'],
    before: [jsonBody],
    responses: { 200: 'The profile after the change', 400: 'Invalid consent' },
    handler: async (req, res, _query, { body }) => {
      const { doNotMarketUntil, ...rest } = body;
      const input = {
        ...rest,
        ...(doNotMarketUntil ? { doNotMarketUntil: new Date(doNotMarketUntil).toISOString() } : {}),
      };
      res.json(await profiles.setConsent(profiles.customerId(String(req.params.id)), input));
    },
  });

  routes.add(router, {
    method: 'delete',
    path: '/v1/customers/:id',
    access: ['crm'],
    tag: 'customers',
    summary:
      'Erase a customer profile (PIPL): tags, evidence and consent history go, a `deleted` tombstone per tag reaches the feed and webhooks, only the erasure record stays',
    responses: { 200: '{erasedAt, tombstones}' },
    handler: async (req, res) => {
      res.json(await profiles.erase(profiles.customerId(String(req.params.id))));
    },
  });
}
