import type { NextFunction, Response } from 'express';
import { AppError } from '../../errors.js';
import { InvalidQueryError, StoreUnavailableError } from '../../storage/errors.js';
import { FeedGoneError } from '../../storage/profile-store.js';
import { isAbandoned } from '../abandon-signal.js';
import type { RequestWithContext } from './request-context.js';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
  code?: string;
  field?: string;
}

/** The one error middleware: typed errors keep their status and code; anything else is a logged 500. */
export function errorHandler(
  err: unknown,
  req: RequestWithContext,
  res: Response,
  _next: NextFunction,
): void {
  const requestId = req.id;
  if (isAbandoned(err) && res.writableEnded === false && req.socket.destroyed) {
    // The client left; its work was stopped and nobody is there to read an answer.
    req.log?.info({ method: req.method, path: req.path }, 'request abandoned by the client');
    return;
  }
  const known = toAppError(err);
  if (known) {
    res.status(known.status).json({
      error: { code: known.code, message: known.message, details: known.details, requestId },
    });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  res.status(500).json({
    error: {
      code: 'internal',
      message: `Internal error; quote request id ${requestId} when reporting it`,
      requestId,
    },
  });
}

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof StoreUnavailableError) {
    return new AppError(
      503,
      'store_unavailable',
      'The store is unreachable right now; retry shortly (see /readyz)',
    );
  }
  if (err instanceof InvalidQueryError) return new AppError(400, 'invalid_request', err.message);
  if (err instanceof FeedGoneError) return new AppError(410, 'cursor_expired', err.message);
  const e = err as BodyParserError;
  if (e?.type === 'entity.too.large') {
    return new AppError(
      413,
      'payload_too_large',
      'Request body exceeds the size limit (MAX_BODY_BYTES); split the upload or use multipart files',
    );
  }
  if (e?.type === 'entity.parse.failed') {
    return new AppError(400, 'invalid_json', `Request body is not valid JSON: ${e.message ?? 'parse error'}`);
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new AppError(415, 'unsupported_charset', 'Request body must be UTF-8');
  }
  if (e?.code === 'LIMIT_FILE_SIZE') {
    return new AppError(
      413,
      'payload_too_large',
      `File in field "${e.field ?? 'file'}" exceeds the size limit (MAX_FILE_BYTES)`,
    );
  }
  if (e?.code === 'LIMIT_FILE_COUNT') {
    return new AppError(413, 'payload_too_large', 'Too many files in one upload (MAX_FILES)');
  }
  if (e?.code === 'LIMIT_UNEXPECTED_FILE') {
    return new AppError(
      400,
      'invalid_request',
      `Unexpected file field "${e.field ?? ''}": send files in the field "file"`,
    );
  }
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, 'invalid_request', e.message ?? 'Bad request');
  }
  return undefined;
}
