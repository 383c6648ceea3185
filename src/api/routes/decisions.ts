import { z } from 'zod';
import { DECISION_CHANNELS, OUTCOMES } from '../../domain/offer.js';
import type { DecisionService } from '../../offers/decision-service.js';
import { dayBound } from '../../reports/period.js';
import type { RouteRegistry } from '../route.js';
import express, { type Router } from 'express';
import { decodeBody } from '../body-encoding.js';
import { jsonBody } from './search.js';

/** A live conversation makes the decision body larger than the small routes' 64 kB. */
const decisionJson = express.json({
  limit: '1mb',
  verify: (_req, _res, bytes) => {
    decodeBody(bytes, 'application/json');
  },
});

const idString = z.string().trim().min(1).max(200);

const decisionBody = z.strictObject({
  customerId: idString,
  channel: z.enum(DECISION_CHANNELS),
  at: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset' }).optional(),
  conversation: z
    .unknown()
    .optional()
    .describe('A live conversation in the native format (taxonomy.md): analysed, never stored'),
  agentId: idString.optional(),
  holdings: z.array(idString).max(100).optional().describe('Products the customer holds (from the CRM)'),
  limit: z
    .number()
    .int()
    .min(1)
    .max(10)
    .optional()
    .describe('How many offers (default: the policy maxOffers)'),
});

const outcomeBody = z.strictObject({ offerId: idString, outcome: z.enum(OUTCOMES) });
const idParams = z.object({ id: z.string().uuid('expected a decision id (uuid)') });

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T.+)?$/, 'expected a date (2026-11-01) or an ISO 8601 date-time');
/** A period of whole days (+08:00) or instants; answered as [from, to) with `to` just past its day. */
export const offerReportQuery = z
  .object({ from: day, to: day })
  .refine(
    (q) => {
      const from = Date.parse(dayBound(q.from, false));
      const to = Date.parse(dayBound(q.to, true));
      return !Number.isNaN(from) && !Number.isNaN(to) && from <= to;
    },
    { message: 'expected valid dates with from <= to', path: ['to'] },
  )
  .transform((q) => ({
    from: dayBound(q.from, false),
    to: new Date(Date.parse(dayBound(q.to, true)) + 1).toISOString(),
  }));

/** Next-best-offer decisions, their explanation and outcomes, and the closed-loop offer report. */
export function decisionRoutes(router: Router, routes: RouteRegistry, decisions: DecisionService): void {
  routes.add(router, {
    method: 'post',
    path: '/v1/decisions',
    access: ['crm'],
    tag: 'decisions',
    summary: 'Decide the next best offers for a customer (service first, under the contact policy)',
    body: decisionBody,
    before: [decisionJson],
    responses: { 200: '{decisionId, offers, suppressed}', 400: 'Invalid request or live conversation' },
    handler: async (_req, res, _query, { body }) => {
      const decision = JSON.stringify(await decisions.decide(body));
      // Not res.json: it hashes every body for an ETag, which no client of a POST uses.
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(decision);
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/decisions/:id/explain',
    access: ['crm', 'analyst'],
    tag: 'decisions',
    summary: "Every stage's verdict for every offer of a decision, with its candidates and outcomes",
    params: idParams,
    responses: { 200: 'The logged decision', 404: 'No such decision' },
    handler: async (_req, res, _query, { params }) => {
      res.json(await decisions.explain(params.id));
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/decisions/:id/outcome',
    access: ['crm'],
    tag: 'decisions',
    summary: 'Report what the customer did with an offer (accepted, declined, no_answer)',
    params: idParams,
    body: outcomeBody,
    before: [jsonBody],
    responses: {
      201: 'Recorded',
      400: 'Offer not in the decision',
      404: 'No such decision',
      409: 'Already recorded',
    },
    handler: async (_req, res, _query, { params, body }) => {
      const recorded = await decisions.recordOutcome(params.id, body.offerId, body.outcome);
      res.status(201).json({ decisionId: params.id, ...recorded });
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/offers',
    access: ['crm', 'analyst'],
    tag: 'decisions',
    summary: 'The offer catalog in use (version and offers)',
    responses: { 200: 'The catalog' },
    handler: (_req, res) => {
      const { version, offers, policy, learning } = decisions.catalog;
      res.json({
        version,
        offers: offers.map(({ eligibility: _e, context, ...o }) => ({
          ...o,
          context: context.map((c) => c.weight),
        })),
        policy,
        learning,
      });
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/offers/reload',
    access: ['admin'],
    tag: 'decisions',
    summary: 'Re-read models/offers/*.yaml; an invalid catalog is refused and the current one stays',
    responses: { 200: '{version, offers}', 400: 'The files are invalid (file, path, what was expected)' },
    handler: (_req, res) => {
      res.json(decisions.reloadCatalog());
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/reports/offers',
    access: ['analyst', 'crm'],
    tag: 'reports',
    summary:
      'Closed-loop offer report: acceptance and lift over the control group per offer, tag, channel, agent',
    query: offerReportQuery,
    responses: { 200: 'The report', 400: 'Invalid period' },
    handler: async (_req, res, query) => {
      res.json(await decisions.report(query.from, query.to));
    },
  });
}
