import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { AppConfig } from '../../config/env.js';
import type { Conversation } from '../../domain/conversation.js';
import { UnsupportedMediaTypeError, ValidationError, type ErrorDetail } from '../../errors.js';
import {
  FORMATS,
  ParseFormatError,
  validateNativeConversation,
  type FormatId,
  type ParseIssue,
  type ParseOptions,
} from '../../ingest/formats/index.js';
import {
  OFF_THREAD_BYTES,
  type AcceptedBatch,
  type AcceptedFiles,
  type IngestService,
} from '../../ingest/ingest-service.js';
import { toChinaIso } from '../../ingest/formats/text-utils.js';
import { parseManifest } from '../../ingest/metadata/manifest.js';
import { parseMapping } from '../../ingest/metadata/mapping.js';
import { compileNamePattern } from '../../ingest/metadata/name-pattern.js';
import type { FileUploadOptions, UploadedFile } from '../../ingest/upload-files.js';
import type { SearchService } from '../../search/search-service.js';
import { assertCharset, charsetOf, decodeBody } from '../body-encoding.js';
import { multipartFiles } from '../middleware/multipart.js';
import type { RouteRegistry } from '../route.js';
import { conversationSchemaForDocs } from '../schemas.js';

const uploadQuery = z.object({
  format: z.enum(FORMATS).optional().describe('Format of the body or files; detected when absent'),
  speakers: z
    .string()
    .regex(
      /^[^:,]+:(agent|customer|system)(,[^:,]+:(agent|customer|system))*$/,
      'expected e.g. "0:agent,1:customer"',
    )
    .optional()
    .describe('Vendor speaker/channel id to role, e.g. "0:agent,1:customer" or "spk_0:customer"'),
  firstSpeaker: z
    .enum(['agent', 'customer'])
    .optional()
    .describe('Role of the first voice heard (default agent)'),
  channel: z.enum(['call', 'chat']).optional().describe('Channel for files that do not say'),
  startedAt: z.iso.datetime({ offset: true }).optional().describe('Start time for files that carry none'),
  namePattern: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Read each file name for its facts, e.g. "{date:yyyyMMdd}_{time:HHmmss}_{agentId}_{customerId}" (placeholders: date, time, datetime, id, agentId, customerId, channel, *)',
    ),
});
type UploadQuery = z.infer<typeof uploadQuery>;

export function conversationRoutes(
  router: Router,
  routes: RouteRegistry,
  deps: { ingest: IngestService; search: SearchService; config: AppConfig },
): void {
  const { limits } = deps.config;
  const files = multipartFiles(limits);
  const rawBody = express.raw({ type: () => true, limit: limits.maxBodyBytes });

  routes.add(router, {
    method: 'post',
    path: '/v1/conversations',
    access: ['ingest'],
    tag: 'ingest',
    summary:
      'Upload conversations: native JSON (one or an array), NDJSON, or multipart files in the field "file" in any supported format, with an optional "manifest" part (file,id,startedAt,channel,agentId,customerId,speakers) and a "mapping" part (YAML: text, speaker, time, session of another chat export)',
    query: uploadQuery,
    body: z.union([conversationSchemaForDocs, z.array(conversationSchemaForDocs)]),
    bodyContentTypes: ['application/json', 'application/x-ndjson', 'multipart/form-data'],
    responses: {
      202: 'Accepted: job ids and per-item issues',
      400: 'Nothing usable',
      413: 'Too large',
      415: 'Unsupported type',
    },
    before: [
      (req, res, next) => (req.is('multipart/form-data') ? files(req, res, next) : rawBody(req, res, next)),
    ],
    handler: async (req, res, query) => {
      const upload = collect(req, query);
      const result =
        'files' in upload
          ? await deps.ingest.acceptFiles(upload.files, upload.options, upload.label)
          : await acceptJson(deps.ingest, upload);
      const issues = result.issues.map(({ where, message }) => ({ where, message }));
      if (result.accepted === 0) {
        throw new ValidationError(
          'No valid conversation in the upload',
          issues.length ? issues : [{ message: 'the upload is empty' }],
        );
      }
      res.status(202).json({
        accepted: result.accepted,
        jobs: result.jobs,
        rejected: issues.length,
        issues,
        warnings: [
          ...result.warnings.map(({ where, message }) => ({ where, message })),
          ...result.undated.map(undatedWarning),
        ],
      });
    },
  });

  routes.add(router, {
    method: 'get',
    path: '/v1/conversations/:id',
    access: ['analyst', 'crm'],
    tag: 'search',
    summary: 'One conversation with its analysis (labels and evidence spans)',
    responses: { 200: 'The conversation', 404: 'Unknown id' },
    handler: async (req, res) => {
      res.json(await deps.search.conversation(String(req.params.id)));
    },
  });
}

interface Collected {
  conversations: Conversation[];
  issues: ParseIssue[];
}

type Upload = Collected | { files: UploadedFile[]; options: FileUploadOptions; label?: string };

async function acceptJson(ingest: IngestService, parsed: Collected): Promise<AcceptedFiles> {
  const base = { issues: parsed.issues, warnings: [], format: 'native-json' };
  if (parsed.conversations.length === 0)
    return { ...base, jobs: [], accepted: 0, redactions: 0, undated: [] };
  return { ...base, ...(await ingest.accept(parsed.conversations, { format: 'native-json' })) };
}

function undatedWarning(c: AcceptedBatch['undated'][number]): ErrorDetail {
  return {
    where: c.file ? `${c.file} conversation ${c.id}` : `conversation ${c.id}`,
    message: `no start time in the file, a manifest, the file name or startedAt: stored with the time received, ${c.startedAt} (startedAtSource "received")`,
  };
}

function collect(req: Request, query: UploadQuery): Upload {
  const options = parseOptions(query);
  const upload: Omit<FileUploadOptions, 'parse'> = {
    receivedAt: toChinaIso(Date.now()),
    ...(query.namePattern
      ? {
          names: { read: metadata(() => compileNamePattern(query.namePattern!)), pattern: query.namePattern },
        }
      : {}),
  };
  if (req.is('multipart/form-data')) {
    const parts = (req.files ?? {}) as Record<string, Express.Multer.File[] | undefined>;
    const uploaded = parts.file ?? [];
    if (!uploaded.length)
      throw new ValidationError('No file in the upload: send files in the multipart field "file"');
    const manifestPart = parts.manifest?.[0];
    const manifestField = (req.body as Record<string, unknown> | undefined)?.manifest;
    const manifest = manifestPart
      ? { content: manifestPart.buffer, name: manifestPart.originalname || 'manifest' }
      : typeof manifestField === 'string'
        ? { content: manifestField, name: 'manifest' }
        : undefined;
    const mappingPart = parts.mapping?.[0];
    const mapping = mappingPart
      ? metadata(() => parseMapping(mappingPart.buffer, mappingPart.originalname || 'mapping'))
      : undefined;
    return {
      files: uploaded.map((f) => ({ content: f.buffer, name: f.originalname })),
      options: {
        ...upload,
        parse: { ...options, ...(mapping ? { mapping } : {}) },
        ...(manifest ? { manifest: metadata(() => parseManifest(manifest.content, manifest.name)) } : {}),
      },
      label: uploaded.map((f) => f.originalname).join(', '),
    };
  }
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (body.length === 0) throw new ValidationError('Empty request body');
  const contentType = req.header('content-type');
  const json = Boolean(req.is('application/json'));
  const ndjson = Boolean(req.is('application/x-ndjson'));
  if (!json && !ndjson && !req.is('text/*') && !query.format)
    throw new UnsupportedMediaTypeError(contentType);
  // JSON and NDJSON are UTF-8 unless they say otherwise; a text file without a charset is detected
  // (UTF-8, then GB18030) as a multipart file would be.
  const decode = json || ndjson || charsetOf(contentType) !== undefined;
  if (body.length > OFF_THREAD_BYTES) {
    // Decoded, parsed (native JSON as a file in that format) and redacted in the parse worker.
    if (decode) assertCharset(contentType);
    const native = query.format
      ? {}
      : json
        ? { format: 'native-json' as const }
        : ndjson
          ? { format: 'native-ndjson' as const }
          : {};
    return {
      files: [{ content: body, name: 'body', ...(decode ? { contentType: contentType ?? '' } : {}) }],
      options: { ...upload, parse: { ...options, ...native } },
    };
  }
  const content = decode ? decodeBody(body, contentType) : body;
  if (json && !query.format) return collectJson(content as string);
  return {
    files: [{ content, name: 'body' }],
    options: {
      ...upload,
      parse: { ...options, ...(ndjson && !query.format ? { format: 'native-ndjson' as FormatId } : {}) },
    },
  };
}

/** A manifest or name pattern that is wrong as a whole is the uploader's mistake: 400 naming it. */
function metadata<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ParseFormatError)) throw err;
    throw new ValidationError(err.message, err.issues);
  }
}

function collectJson(body: string): Collected {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new ValidationError(`Request body is not valid JSON: ${(err as Error).message}`, [
      { where: '$', message: 'expected a conversation object or an array of them' },
    ]);
  }
  const items = Array.isArray(value) ? value : [value];
  const conversations: Conversation[] = [];
  const issues: ParseIssue[] = [];
  items.forEach((item, i) => {
    const result = validateNativeConversation(item, Array.isArray(value) ? `$[${i}]` : '$');
    if (result.conversation) conversations.push(result.conversation);
    issues.push(...result.issues.map((issue) => ({ where: issue.where, message: issue.message })));
  });
  return { conversations, issues };
}

function parseOptions(query: UploadQuery): ParseOptions {
  const map = query.speakers
    ? Object.fromEntries(
        query.speakers.split(',').map((pair) => pair.split(':') as [string, 'agent' | 'customer' | 'system']),
      )
    : undefined;
  return {
    ...(query.format ? { format: query.format } : {}),
    ...(map || query.firstSpeaker
      ? {
          speakers: {
            ...(map ? { map } : {}),
            ...(query.firstSpeaker ? { firstSpeaker: query.firstSpeaker } : {}),
          },
        }
      : {}),
    defaults: {
      ...(query.channel ? { channel: query.channel } : {}),
      ...(query.startedAt ? { startedAt: query.startedAt } : {}),
    },
  };
}
