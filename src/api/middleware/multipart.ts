import type { RequestHandler } from 'express';
import multer from 'multer';
import { MalformedMultipartError, PayloadTooLargeError, ValidationError } from '../../errors.js';
import { receivedInPlace } from './upload-storage.js';

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
}

/** Non-file fields an upload may carry, and the longest value and name of one. */
export const MAX_FIELDS = 20;
export const MAX_FIELD_BYTES = 1024 * 1024;
export const MAX_FIELD_NAME_BYTES = 100;
/** File parts that describe the upload rather than hold conversations (one each). */
export const METADATA_PARTS = ['manifest', 'mapping'] as const;

/**
 * multer (in memory, each file received in place: upload-storage.ts; uploads are never written to
 * disk unredacted) for files in the field
 * "file" (req.files.file) and one file per METADATA_PARTS field, with every way a multipart body can be wrong turned into a 4xx that says what: busboy's
 * parse errors and multer's limit errors otherwise reach the error handler as anonymous 500s.
 */
export function multipartFiles(limits: MultipartLimits): RequestHandler {
  const parse = multer({
    storage: receivedInPlace(limits.maxFileBytes),
    limits: {
      fileSize: limits.maxFileBytes,
      files: limits.maxFiles + METADATA_PARTS.length,
      fields: MAX_FIELDS,
      fieldSize: MAX_FIELD_BYTES,
      fieldNameSize: MAX_FIELD_NAME_BYTES,
    },
  }).fields([
    { name: 'file', maxCount: limits.maxFiles },
    ...METADATA_PARTS.map((name) => ({ name, maxCount: 1 })),
  ]);
  return (req, res, next) => {
    if (!/;\s*boundary=/i.test(req.header('content-type') ?? '')) {
      next(
        new MalformedMultipartError(
          'multipart/form-data without a boundary: the Content-Type must say "multipart/form-data; boundary=…" (let the HTTP client build it)',
          [{ where: 'header.content-type', message: 'boundary parameter missing' }],
        ),
      );
      return;
    }
    parse(req, res, (err?: unknown) => next(err === undefined ? undefined : multipartError(err)));
  };
}

interface MulterLikeError {
  name?: string;
  code?: string;
  field?: string;
  message?: string;
}

function multipartError(err: unknown): unknown {
  const e = err as MulterLikeError;
  const field = e?.field ? `"${e.field.slice(0, 60)}${e.field.length > 60 ? '…' : ''}"` : 'a field';
  const where = e?.field ? [{ where: `field ${e.field.slice(0, 60)}`, message: e.message ?? '' }] : [];
  switch (e?.code) {
    case 'LIMIT_FILE_SIZE':
      return new PayloadTooLargeError(`File in field ${field} exceeds the size limit (MAX_FILE_BYTES)`);
    case 'LIMIT_FILE_COUNT':
      return new PayloadTooLargeError('Too many files in one upload (MAX_FILES)');
    case 'LIMIT_UNEXPECTED_FILE':
      // multer says so too when "file" holds more than its maxCount
      if (e.field === 'file') return new PayloadTooLargeError('Too many files in one upload (MAX_FILES)');
      return new ValidationError(
        `Unexpected file field ${field}: send files in the field "file" and at most one of each of ${METADATA_PARTS.map((p) => `"${p}"`).join(', ')}`,
      );
    case 'LIMIT_FIELD_COUNT':
    case 'LIMIT_PART_COUNT':
      return new MalformedMultipartError(
        `Too many fields in the multipart body: at most ${MAX_FIELDS} besides the files`,
      );
    case 'LIMIT_FIELD_VALUE':
      return new MalformedMultipartError(
        `Multipart field ${field} is too long: at most ${MAX_FIELD_BYTES} bytes (send content as a file)`,
        where,
      );
    case 'LIMIT_FIELD_KEY':
      return new MalformedMultipartError(
        `A multipart field name is too long: at most ${MAX_FIELD_NAME_BYTES} bytes`,
        where,
      );
    case undefined:
      break;
    default:
      return new MalformedMultipartError(`Malformed multipart body: ${e.message ?? e.code}`, where);
  }
  const message = e?.message ?? '';
  if (/end of (form|file)/i.test(message)) {
    return new MalformedMultipartError(
      'The multipart body ended before its closing boundary: the upload was truncated',
      [{ where: 'body', message }],
    );
  }
  if (/part header|boundary|content type/i.test(message)) {
    return new MalformedMultipartError(`Malformed multipart body: ${message}`, [{ where: 'body', message }]);
  }
  return err;
}
