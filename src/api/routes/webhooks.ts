import type { Router } from 'express';
import { z } from 'zod';
import type { WebhookService } from '../../webhooks/webhook-service.js';
import type { RouteRegistry } from '../route.js';
import { jsonBody } from './search.js';

const KEY_PREFIX = /^[a-z_]+(\.[a-z0-9_]*)*$/;

export const webhookBody = z.object({
  url: z.string().trim().min(1).max(2000).describe('Receiver URL (https recommended)'),
  keys: z
    .array(z.string().trim().regex(KEY_PREFIX, 'a tag key prefix such as `need.` or `consent.do_not_market`'))
    .max(100)
    .optional()
    .describe('Tag key prefixes to deliver; absent or empty: every change'),
});

const idParams = z.object({
  id: z
    .string()
    .regex(/^wh_[0-9a-f]{32}$/, 'a webhook id (wh_…)')
    .describe('The webhook id'),
});

/** Webhooks to CRM systems (Standard Webhooks): management, delivery log, dead letters, replay. */
export function webhookRoutes(router: Router, routes: RouteRegistry, webhooks: WebhookService): void {
  routes.add(router, {
    method: 'post',
    path: '/v1/webhooks',
    access: ['crm'],
    tag: 'webhooks',
    summary:
      'Subscribe a receiver to tag changes (from now on); answers the id and the signing secret (shown once)',
    body: webhookBody,
    bodyContentTypes: ['application/json'],
    before: [jsonBody],
    responses: {
      201: '{id, secret, url, keys, createdAt, status}',
      400: 'Invalid or refused URL, bad key prefix',
    },
    handler: async (_req, res, _query, { body }) => {
      res.status(201).json(await webhooks.create(body));
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/webhooks',
    access: ['crm'],
    tag: 'webhooks',
    summary: 'The subscribed receivers (without their secrets)',
    responses: { 200: '{items}' },
    handler: async (_req, res) => {
      res.json({ items: await webhooks.list() });
    },
  });
  routes.add(router, {
    method: 'delete',
    path: '/v1/webhooks/:id',
    params: idParams,
    access: ['crm'],
    tag: 'webhooks',
    summary: 'Unsubscribe a receiver (its delivery log and dead letters go with it)',
    responses: { 204: 'Deleted', 404: 'No such webhook' },
    handler: async (_req, res, _query, { params }) => {
      await webhooks.delete(params.id);
      res.status(204).end();
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    params: idParams,
    access: ['crm'],
    tag: 'webhooks',
    summary: 'The delivery log: every attempt, newest first (status, error, duration)',
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    responses: { 200: '{items}', 404: 'No such webhook' },
    handler: async (_req, res, query, { params }) => {
      res.json({ items: await webhooks.deliveries(params.id, query.limit) });
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/webhooks/:id/dead-letters',
    params: idParams,
    access: ['crm'],
    tag: 'webhooks',
    summary: 'Changes that exhausted their attempts, in the order they died',
    responses: { 200: '{items}', 404: 'No such webhook' },
    handler: async (_req, res, _query, { params }) => {
      res.json({ items: await webhooks.deadLetters(params.id) });
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/webhooks/:id/replay',
    params: idParams,
    access: ['crm'],
    tag: 'webhooks',
    summary: 'Send every dead letter again (same webhook-id, so receivers dedupe), before newer changes',
    responses: { 202: '{queued}', 404: 'No such webhook' },
    handler: async (_req, res, _query, { params }) => {
      res.status(202).json(await webhooks.replay(params.id));
    },
  });
}
