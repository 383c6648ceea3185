import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { ForbiddenError, UnauthorizedError, ValidationError } from '../errors.js';
import type { ApiKeyRecord, Role } from '../storage/types.js';

/** Either the roles allowed (admin is always allowed) or an explicit 'public'. */
export type Access = readonly Role[] | 'public';

export interface RouteSpec<Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. /v1/jobs/:id */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  query?: Q;
  /** JSON body schema, for the OpenAPI document (bodies of several content types are parsed by the route). */
  body?: z.ZodType;
  bodyContentTypes?: string[];
  responses: Record<number, string>;
  /** Middleware to run after authentication and before the handler (body parsers). */
  before?: RequestHandler[];
  handler: (req: Request, res: Response, query: z.infer<Q>) => Promise<void> | void;
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

  add<Q extends z.ZodType>(router: Router, spec: RouteSpec<Q>): void {
    this.specs.push(spec as unknown as RouteSpec);
    const handlers: RequestHandler[] = [];
    if (spec.access !== 'public') handlers.push(this.requireRole(spec.access));
    handlers.push(...(spec.before ?? []));
    handlers.push(async (req: Request, res: Response, next: NextFunction) => {
      try {
        const query = spec.query ? parseQuery(spec.query, req.query) : undefined;
        await spec.handler(req, res, query as z.infer<Q>);
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

function parseQuery<Q extends z.ZodType>(schema: Q, raw: unknown): z.infer<Q> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid query parameters',
      parsed.error.issues.map((i) => ({ where: `query.${i.path.join('.')}`, message: i.message })),
    );
  }
  return parsed.data;
}
