import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import {
  ForbiddenError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
  type ErrorDetail,
} from '../errors.js';
import type { ApiKeyRecord, Role } from '../storage/types.js';

/** Either the roles allowed (admin is always allowed) or an explicit 'public'. */
export type Access = readonly Role[] | 'public';

/** What the route helper validated besides the query: the JSON body and the path parameters. */
export interface RouteInput<B extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  body: z.infer<B>;
  params: z.infer<P>;
}

export interface RouteSpec<
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. /v1/jobs/:id */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  query?: Q;
  /** Path parameters (`:id`), validated and documented; without it they are plain strings. */
  params?: P;
  /**
   * Body schema. When the route takes JSON only (bodyContentTypes absent or ['application/json']),
   * the helper answers 415 to another or no content type and validates the body (400 naming the
   * path); bodies of several content types are parsed by the route and the schema only documents.
   */
  body?: B;
  bodyContentTypes?: string[];
  responses: Record<number, string>;
  /** Middleware to run after authentication and before the handler (body parsers). */
  before?: RequestHandler[];
  handler: (req: Request, res: Response, query: z.infer<Q>, input: RouteInput<B, P>) => Promise<void> | void;
}

export interface AuthenticatedRequest extends Request {
  apiKey?: ApiKeyRecord;
}

/**
 * Registers routes so that none exists without a declared access rule, and so the OpenAPI document
 * is generated from the very schemas that validate requests.
 */
export class RouteRegistry {
  readonly specs: RouteSpec[] = [];

  constructor(private readonly authenticate: (key: string) => Promise<ApiKeyRecord | undefined>) {}

  add<Q extends z.ZodType, B extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType>(
    router: Router,
    spec: RouteSpec<Q, B, P>,
  ): void {
    this.specs.push(spec as unknown as RouteSpec);
    const handlers: RequestHandler[] = [];
    if (spec.access !== 'public') handlers.push(this.requireRole(spec.access));
    const jsonOnly = spec.body !== undefined && takesJsonOnly(spec.bodyContentTypes);
    if (jsonOnly) handlers.push(requireJson);
    handlers.push(...(spec.before ?? []));
    handlers.push(async (req: Request, res: Response, next: NextFunction) => {
      try {
        const query = spec.query
          ? validate(spec.query, req.query, 'query', 'Invalid query parameters')
          : undefined;
        const params = spec.params
          ? validate(spec.params, req.params, 'params', 'Invalid path parameters')
          : req.params;
        const body =
          jsonOnly && spec.body
            ? validate(spec.body, req.body ?? {}, 'body', 'Invalid request body')
            : req.body;
        await spec.handler(req, res, query as z.infer<Q>, { body, params } as RouteInput<B, P>);
      } catch (err) {
        next(err);
      }
    });
    router[spec.method](spec.path, ...handlers);
  }

  private requireRole(roles: readonly Role[]): RequestHandler {
    return async (req: AuthenticatedRequest, _res, next) => {
      try {
        const header = req.header('authorization') ?? '';
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match?.[1]) throw new UnauthorizedError();
        const record = await this.authenticate(match[1]);
        if (!record)
          throw new UnauthorizedError(
            'API key not recognised or revoked: create one with `voc keys create --role <role>`',
          );
        if (record.role !== 'admin' && !roles.includes(record.role))
          throw new ForbiddenError(record.role, roles);
        req.apiKey = record;
        next();
      } catch (err) {
        next(err);
      }
    };
  }
}

function validate<S extends z.ZodType>(schema: S, raw: unknown, where: string, message: string): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const details: ErrorDetail[] = parsed.error.issues.map((i) => ({
      where: [where, ...i.path.map(String)].join('.'),
      message: i.message,
    }));
    throw new ValidationError(message, details);
  }
  return parsed.data;
}

function takesJsonOnly(types: readonly string[] | undefined): boolean {
  return types === undefined || types.every((t) => t === 'application/json');
}

/** A JSON route refuses other bodies instead of ignoring them (a text/plain search matched everything). */
const requireJson: RequestHandler = (req, _res, next) => {
  next(
    req.is('application/json')
      ? undefined
      : new UnsupportedMediaTypeError(req.header('content-type'), ['application/json']),
  );
};
