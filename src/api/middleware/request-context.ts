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
 * and echoed), a child logger, and logs each request once. The child logger is made when a handler
 * first uses it (the error handler, rarely): making one scrubs its bindings, which cost about as
 * much as the key lookup on every request; the request line carries the id as a field instead.
 */
export function requestContext(logger: Logger, metrics: Metrics) {
  return (req: RequestWithContext, res: Response, next: NextFunction): void => {
    const incoming = req.header('x-request-id');
    const id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? redactText(incoming).text : randomUUID();
    req.id = id;
    let log: Logger | undefined;
    Object.defineProperty(req, 'log', {
      get: () => (log ??= logger.child({ requestId: id })),
      configurable: true,
    });
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      if (!logger.isLevelEnabled('info')) return;
      logger.info(
        {
          requestId: id,
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
