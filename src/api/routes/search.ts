import express, { type Router } from 'express';
import { z } from 'zod';
import { CHANNELS } from '../../domain/conversation.js';
import {
  ASPECTS,
  COMPETITOR_IDS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
} from '../../domain/labels.js';
import { NotFoundError } from '../../errors.js';
import type { ConversationFilters, SearchRequest, SearchService } from '../../search/search-service.js';
import type { RouteRegistry } from '../route.js';
import { decodeBody } from '../body-encoding.js';
import { abandonSignal } from '../abandon-signal.js';

const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** A list parameter: repeated in JSON, comma-separated in a query string. */
function list<T extends z.ZodType<string, string>>(item: T) {
  return z
    .union([
      z.array(z.string()),
      z.string().transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      ),
    ])
    .pipe(z.array(item).max(200));
}
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const num = z.coerce.number().finite();

/** Every search parameter; GET takes them as a query string, POST as a JSON body. */
export const searchParamsObject = z.object({
  q: z
    .string()
    .max(500)
    .optional()
    .describe('Query: words (AND), OR, -word, "phrase", a NEAR/5 b, speaker:customer'),
  from: dateOrDateTime
    .optional()
    .describe('Inclusive start (date or date-time; dates in China Standard Time)'),
  to: dateOrDateTime.optional().describe('Inclusive end (date or date-time)'),
  channel: z.enum(CHANNELS).optional(),
  agent: list(z.string().min(1).max(100)).optional().describe('Agent ids, any of'),
  customer: list(z.string().min(1).max(200)).optional().describe('Customer ids, any of'),
  complaint: bool.optional().describe('Only conversations with (true) or without (false) a complaint'),
  complaintCategory: list(z.enum(COMPLAINT_CATEGORIES)).optional(),
  escalation: list(z.enum(ESCALATIONS)).optional(),
  competitor: list(z.enum(COMPETITOR_IDS)).optional(),
  aspect: list(z.enum(ASPECTS)).optional(),
  switchingIntent: bool.optional(),
  switching: list(z.enum(COMPETITOR_IDS))
    .optional()
    .describe('Competitors the customer moves business to, any of'),
  need: list(z.enum(NEEDS)).optional(),
  declinedNeed: list(z.enum(NEEDS)).optional(),
  lifeEvent: list(z.enum(LIFE_EVENTS)).optional(),
  sentimentMin: num.min(-1).max(1).optional(),
  sentimentMax: num.min(-1).max(1).optional(),
  minUtterances: z.coerce.number().int().min(0).optional(),
  maxUtterances: z.coerce.number().int().min(0).optional(),
  sort: z.enum(['relevance', 'time']).default('relevance'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().max(2000).optional().describe('The `next` cursor of the previous page'),
  facets: bool.default(true).describe('Include facet counts'),
  interval: z.enum(['day', 'week', 'month']).optional().describe('Include a date histogram'),
});

export const fromBeforeTo = (q: { from?: string | undefined; to?: string | undefined }): boolean =>
  !q.from || !q.to || q.from <= q.to;
const fromBeforeToMessage = { message: '`from` must not be after `to`', path: ['from'] };

export const searchParamsSchema = searchParamsObject.refine(fromBeforeTo, fromBeforeToMessage);

export type SearchParams = z.infer<typeof searchParamsSchema>;

/** A bare date bound covers the whole day, in China Standard Time. */
function dayBound(value: string | undefined, end: boolean): string | undefined {
  if (!value || value.includes('T')) return value;
  return `${value}T${end ? '23:59:59.999' : '00:00:00.000'}+08:00`;
}

/** API parameters to the service request. */
export function toSearchRequest(p: SearchParams): SearchRequest {
  const filters: ConversationFilters = {
    ...(p.agent?.length ? { agentIds: p.agent } : {}),
    ...(p.customer?.length ? { customerIds: p.customer } : {}),
    ...(p.complaint !== undefined ? { complaint: p.complaint } : {}),
    ...(p.complaintCategory?.length ? { complaintCategories: p.complaintCategory } : {}),
    ...(p.escalation?.length ? { escalations: p.escalation } : {}),
    ...(p.competitor?.length ? { competitors: p.competitor } : {}),
    ...(p.aspect?.length ? { aspects: p.aspect } : {}),
    ...(p.switchingIntent !== undefined ? { switchingIntent: p.switchingIntent } : {}),
    ...(p.switching?.length ? { switchingCompetitors: p.switching } : {}),
    ...(p.need?.length ? { needs: p.need } : {}),
    ...(p.declinedNeed?.length ? { declinedNeeds: p.declinedNeed } : {}),
    ...(p.lifeEvent?.length ? { lifeEvents: p.lifeEvent } : {}),
    ...(p.sentimentMin !== undefined ? { sentimentMin: p.sentimentMin } : {}),
    ...(p.sentimentMax !== undefined ? { sentimentMax: p.sentimentMax } : {}),
    ...(p.minUtterances !== undefined ? { minUtterances: p.minUtterances } : {}),
    ...(p.maxUtterances !== undefined ? { maxUtterances: p.maxUtterances } : {}),
  };
  const from = dayBound(p.from, false);
  const to = dayBound(p.to, true);
  return {
    sort: p.sort,
    limit: p.limit,
    facets: p.facets,
    ...(p.q ? { q: p.q } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(p.channel ? { channel: p.channel } : {}),
    ...(Object.keys(filters).length ? { filters } : {}),
    ...(p.after ? { after: p.after } : {}),
    ...(p.interval ? { interval: p.interval } : {}),
  };
}

/** JSON bodies of the small routes; invalid UTF-8 is refused with its offset instead of becoming U+FFFD. */
export const jsonBody = express.json({
  limit: '64kb',
  verify: (_req, _res, bytes) => {
    decodeBody(bytes, 'application/json');
  },
});

const highlightQuerySchema = z.object({
  q: z.string().max(500).describe('The search query whose matches to mark'),
});

export function searchRoutes(router: Router, routes: RouteRegistry, search: SearchService): void {
  routes.add(router, {
    method: 'get',
    path: '/v1/search/phrases',
    access: ['analyst'],
    tag: 'search',
    summary:
      'What customers say in the result beyond the labels: over-represented words against the whole period, and words rising against the previous period (with from and to)',
    query: searchParamsSchema,
    responses: { 200: 'Top and rising phrases', 400: 'Invalid parameters or query syntax' },
    handler: async (_req, res, query) => {
      res.json(await search.phrases(toSearchRequest(query)));
    },
  });
  routes.add(router, {
    method: 'get',
    path: '/v1/search/highlights/:id',
    access: ['analyst'],
    tag: 'search',
    summary:
      'Where a query matches in every utterance of one conversation: [start, end) spans in the original text (Traditional characters and NEAR pairs included)',
    query: highlightQuerySchema,
    responses: { 200: 'Spans per matching utterance', 400: 'Query syntax', 404: 'Unknown id' },
    handler: async (req, res, query) => {
      const id = String(req.params.id);
      const highlights = await search.highlightConversation(id, query.q);
      if (highlights === undefined) throw new NotFoundError(`Conversation ${id}`);
      res.json({ id, highlights: highlights.map(({ utterance, spans }) => ({ utterance, spans })) });
    },
  });
  const summary =
    'Search conversations: query syntax (AND, OR, -NOT, "phrase", NEAR/n, speaker:), filters on every label, facets, date histogram; matching utterances highlighted';
  routes.add(router, {
    method: 'get',
    path: '/v1/search',
    access: ['analyst'],
    tag: 'search',
    summary,
    query: searchParamsSchema,
    responses: {
      200: 'Matching conversations, facets, histogram',
      400: 'Invalid parameters or query syntax',
    },
    handler: async (_req, res, query) => {
      res.json(await search.search(toSearchRequest(query), { signal: abandonSignal(res) }));
    },
  });
  routes.add(router, {
    method: 'post',
    path: '/v1/search',
    access: ['analyst'],
    tag: 'search',
    summary: `${summary} (parameters as a JSON body)`,
    body: searchParamsSchema,
    bodyContentTypes: ['application/json'],
    before: [jsonBody],
    responses: {
      200: 'Matching conversations, facets, histogram',
      400: 'Invalid parameters or query syntax',
      415: 'Not JSON (a text/plain body is refused, not ignored)',
    },
    handler: async (_req, res, _query, { body }) => {
      res.json(await search.search(toSearchRequest(body), { signal: abandonSignal(res) }));
    },
  });
}
