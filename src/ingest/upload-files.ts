import type { Conversation } from '../domain/conversation.js';
import { redactText } from '../pipeline/redact/index.js';
import { decodeBody } from './body-encoding.js';
import {
  ParseFormatError,
  parseUpload,
  type FileFacts,
  type ParseIssue,
  type ParseOptions,
} from './formats/index.js';
import { manifestKey, type Manifest, type ManifestRow } from './metadata/manifest.js';
import type { NameReader } from './metadata/name-pattern.js';

export interface UploadedFile {
  content: Buffer | string;
  name: string;
  /**
   * A request body's Content-Type: the bytes are decoded in its charset (UTF-8 when none) before
   * parsing, here rather than in the route, so that a large body is decoded off the event loop too.
   */
  contentType?: string;
}

export interface FileUploadOptions {
  /** Format, speakers and the uploader's defaults, the same for every file. */
  parse: ParseOptions;
  /** Per-file facts from the recording system; its speakers mapping wins over `parse.speakers`. */
  manifest?: Manifest;
  /** Reads facts from each file name; `pattern` is quoted in warnings. */
  names?: { read: NameReader; pattern: string };
  /** The time the upload was received: the start time of files that give none (marked "received"). */
  receivedAt?: string;
}

export interface ParsedUpload {
  conversations: Conversation[];
  issues: ParseIssue[];
  /** Accepted, but worth a look: a file missing from the manifest, a name the pattern does not match. */
  warnings: ParseIssue[];
  format: string;
  /** The file each conversation came from (its name masked like any stored text). */
  fileOf: Map<Conversation, string>;
}

/**
 * Parses each uploaded file with its own facts: its manifest row (found by base name), what the
 * name pattern reads from its name, then the uploader's defaults. Bad files and bad items become
 * issues; a file whose manifest row is wrong is refused rather than stored with wrong facts.
 */
export function parseUploadedFiles(files: UploadedFile[], options: FileUploadOptions): ParsedUpload {
  const out: ParsedUpload = { conversations: [], issues: [], warnings: [], format: '', fileOf: new Map() };
  const formats = new Set<string>();
  if (options.manifest) out.issues.push(...options.manifest.issues);
  for (const file of files) {
    const shown = redactText(file.name).text;
    const key = manifestKey(file.name);
    const refused = options.manifest?.refused.get(key);
    if (refused) {
      out.issues.push({ where: shown, message: `refused: ${refused}` });
      continue;
    }
    const row = options.manifest?.rows.get(key);
    if (options.manifest && !row)
      out.warnings.push({
        where: shown,
        message: 'not in the manifest: its facts come from the file, its name or the defaults',
      });
    const fromName = options.names?.read(file.name);
    // A name that does not match matters only when no manifest row gives the facts instead.
    if (options.names && !fromName && !row) {
      out.warnings.push({
        where: shown,
        message: `the file name does not match namePattern ${JSON.stringify(options.names.pattern)} (or its date is not a date)`,
      });
    }
    const facts = row ? factsOf(row) : undefined;
    const speakers = row?.speakers
      ? { ...options.parse.speakers, map: { ...options.parse.speakers?.map, ...row.speakers } }
      : options.parse.speakers;
    try {
      const content =
        file.contentType !== undefined && typeof file.content !== 'string'
          ? decodeBody(file.content, file.contentType)
          : file.content;
      const result = parseUpload(content, {
        ...options.parse,
        filename: file.name,
        ...(speakers ? { speakers } : {}),
        ...(facts ? { manifest: facts } : {}),
        ...(fromName ? { fromName } : {}),
        ...(options.receivedAt ? { receivedAt: options.receivedAt } : {}),
      });
      formats.add(result.format);
      for (const conversation of result.conversations) out.fileOf.set(conversation, shown);
      out.conversations.push(...result.conversations);
      out.issues.push(...result.issues);
    } catch (err) {
      if (!(err instanceof ParseFormatError)) throw err;
      out.issues.push(...err.issues);
    }
  }
  out.format = [...formats].join(',') || 'unknown';
  return out;
}

function factsOf(row: ManifestRow): FileFacts {
  const { id, startedAt, channel, agentId, customerId } = row;
  return {
    ...(id ? { id } : {}),
    ...(startedAt ? { startedAt } : {}),
    ...(channel ? { channel } : {}),
    ...(agentId ? { agentId } : {}),
    ...(customerId ? { customerId } : {}),
  };
}
