/** Typed errors with stable codes; the error middleware turns them into JSON responses. */
export interface ErrorDetail {
  /** Where: a JSON path, "file.csv line 12", a query parameter name. */
  where?: string;
  message: string;
  /** A stable code of the problem, for clients that explain it in their own language. */
  reason?: string;
  /** 0-based character offset of the problem in the field named by `where`. */
  position?: number;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(400, 'invalid_request', message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(
    message = 'Missing or invalid API key: send "Authorization: Bearer <key>" (create one with `voc keys create --role analyst`)',
  ) {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(role: string, allowed: readonly string[]) {
    super(
      403,
      'forbidden',
      `This API key has role "${role}"; this route needs one of: ${allowed.join(', ')}`,
    );
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found`);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, 'payload_too_large', message);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  /** `accepted`: what this route takes; by default the upload route's list. */
  constructor(got: string | undefined, accepted?: readonly string[]) {
    super(
      415,
      'unsupported_media_type',
      `Content-Type ${got ?? '(none)'} is not accepted: send ${
        accepted?.join(' or ') ??
        'application/json, application/x-ndjson or multipart/form-data with files in the field "file"'
      }`,
    );
  }
}

/** A multipart/form-data body that cannot be read: no boundary, cut short, over a field limit. */
export class MalformedMultipartError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(400, 'invalid_multipart', message, details);
  }
}

/** A body whose bytes are not valid in the charset it declares (UTF-8 when it declares none). */
export class InvalidEncodingError extends AppError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(400, 'invalid_encoding', message, details);
  }
}

export class UnsupportedCharsetError extends AppError {
  constructor(charset: string, accepted: readonly string[]) {
    super(
      415,
      'unsupported_charset',
      `charset=${charset} is not accepted: send the body as UTF-8 (or declare ${accepted.filter((c) => c !== 'utf-8').join(', ')})`,
    );
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(message: string) {
    super(503, 'unavailable', message);
  }
}
