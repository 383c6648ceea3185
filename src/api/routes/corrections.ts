import type { Router } from 'express';
import { z } from 'zod';
import { CORRECTION_ACTIONS, parseFlatLabel, unknownLabelMessage } from '../../domain/correction.js';
import { MAX_CORRECTIONS_PAGE, type CorrectionService } from '../../corrections/correction-service.js';
import type { AuthenticatedRequest, RouteRegistry } from '../route.js';
import { jsonBody } from './search.js';

const flatLabel = z
  .string()
  .refine((label) => parseFlatLabel(label) !== undefined, {
    error: (issue) => unknownLabelMessage(String(issue.input)),
  })
  .describe(
    'Flat label as in evidence: complaint, complaint:<category>, escalation:<escalation>, competitor:<id>, aspect:<id>/<aspect>, switching:<id>, need:<need>, declinedNeed:<need>, lifeEvent:<event>',
  );

const correctionBody = z.object({
  utterance: z
    .number()
    .int()
    .min(0)
    .describe('Index of the customer utterance the label is on (or missing from)'),
  label: flatLabel,
  action: z.enum(CORRECTION_ACTIONS).describe('remove: the label is wrong; add: the label was missed'),
});

const listQuery = z.object({
  conversationId: z.string().min(1).optional(),
  label: flatLabel.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_CORRECTIONS_PAGE).default(50),
  after: z.string().min(1).optional().describe('The `next` cursor of the previous page'),
});

export function correctionRoutes(
  router: Router,
  routes: RouteRegistry,
  corrections: CorrectionService,
): void {
  routes.add(router, {
    method: 'post',
    path: '/v1/conversations/:id/corrections',
    access: ['analyst'],
    tag: 'corrections',
    summary:
      'Mark a label on a customer utterance as wrong (remove) or missed (add); the stored analysis changes at once, the correction is kept through re-analysis and audited',
    body: correctionBody,
    bodyContentTypes: ['application/json'],
    before: [jsonBody],
    responses: {
      201: 'The stored correction and the corrected analysis',
      400: 'Unknown label, or the utterance is out of range or not the customer’s',
      404: 'Unknown conversation',
      409: 'The label is already there (add) or not there (remove), or a re-analysis is running',
    },
    handler: async (req: AuthenticatedRequest, res, _query, { body }) => {
      const result = await corrections.record({
        conversationId: String(req.params.id),
        ...body,
        actor: { id: req.apiKey?.id ?? '', name: req.apiKey?.name ?? '' },
      });
      res.status(201).json(result);
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/corrections',
    access: ['analyst'],
    tag: 'corrections',
    summary:
      'Corrections, newest first, filtered by conversation and label; `next` is the cursor of the following page',
    query: listQuery,
    responses: { 200: 'A page of corrections', 400: 'Invalid parameters or cursor' },
    handler: async (_req, res, query) => {
      res.json(await corrections.list(query));
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/quality',
    access: ['analyst'],
    tag: 'corrections',
    summary:
      'Per-label precision and recall estimated from corrections (removals = false positives, additions = false negatives, labels left on reviewed conversations = true positives); biased towards what analysts look at',
    responses: {
      200: '{labels: [{label, tp, fp, fn, precision, recall, corrections}], conversationsReviewed}',
    },
    handler: async (_req, res) => {
      res.json(await corrections.quality());
    },
  });
}
