import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../logging/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import { redactText } from '../../pipeline/redact/index.js';

export interface RequestWithContext extends Request {
  id?: string;
  log?: Logger;
}

/**
 * Assigns a request id (or accepts a sane X-Request-Id, personal numbers in it masked: it is logged
 * and echoed), a child logger, and logs each request once.
 */
export function requestContext(logger: Logger, metrics: Metrics) {
  return (req: RequestWithContext, res: Response, next: NextFunction): void => {
    const incoming = req.header('x-request-id');
    req.id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? redactText(incoming).text : randomUUID();
    req.log = logger.child({ requestId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      req.log?.info(
        {
          method: req.method,
          route,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          key: (req as { apiKey?: { id: string } }).apiKey?.id,
        },
        'request',
      );
    });
    next();
  };
}
