import { parse } from 'csv-parse/sync';
import { CHANNELS, SPEAKERS, type Channel, type Speaker } from '../../domain/conversation.js';
import { decodeUpload } from '../formats/decode.js';
import { isObject } from '../formats/json-input.js';
import { firstLine, parseTimestamp } from '../formats/text-utils.js';
import { ParseFormatError, type FileFacts, type ParseIssue } from '../formats/types.js';
import { describeValue } from '../formats/zod-issues.js';

/*
 * The recording system's list of the files of an export, one row per file:
 *   file,id,startedAt,channel,agentId,customerId,speakers
 *   20261101_093012.json,C-0001,2026-11-01 09:30:12,call,a-023,cust-88231,"0:agent,1:customer"
 * as CSV (header row; comma or tab; UTF-8 or GBK) or JSON (an array of such objects, or
 * { "files": [ … ] }). Only `file` is required. Times without an offset are China Standard Time.
 */

export const MANIFEST_COLUMNS = [
  'file',
  'id',
  'startedAt',
  'channel',
  'agentId',
  'customerId',
  'speakers',
] as const;
type Column = (typeof MANIFEST_COLUMNS)[number];

export interface ManifestRow extends FileFacts {
  /** "manifest.csv line 4", "manifest.json $[3]" */
  where: string;
  file: string;
  speakers?: Record<string, Speaker>;
}

export interface Manifest {
  /** Valid rows by the file's base name (the name an upload carries). */
  rows: Map<string, ManifestRow>;
  /** Base names of files whose row is wrong: refused rather than ingested with the wrong facts. */
  refused: Map<string, string>;
  issues: ParseIssue[];
}

const EXPECTED = `a CSV with a header row or a JSON array of objects, with the columns ${MANIFEST_COLUMNS.join(', ')} (only file required)`;

const ALIASES = new Map<string, Column>([
  ...MANIFEST_COLUMNS.map((c) => [c.toLowerCase(), c] as const),
  ['filename', 'file'],
  ['path', 'file'],
  ['conversationid', 'id'],
  ['callid', 'id'],
  ['starttime', 'startedAt'],
  ['agent', 'agentId'],
  ['customer', 'customerId'],
]);

function columnOf(name: string): Column | undefined {
  return ALIASES.get(
    name
      .trim()
      .toLowerCase()
      .replace(/[\s_\-.]/g, ''),
  );
}

/** The name a file is matched by: its base name, whatever directories the manifest or the upload add. */
export function manifestKey(file: string): string {
  return file.split(/[/\\]/).pop()?.trim() ?? '';
}

/** Reads a manifest; throws ParseFormatError when nothing in it is usable (not CSV/JSON, no file column). */
export function parseManifest(content: Buffer | string, name: string): Manifest {
  const text = decodeUpload(content, name);
  const trimmed = text.trimStart();
  const records =
    trimmed.startsWith('[') || trimmed.startsWith('{') ? jsonRecords(trimmed, name) : csvRecords(text, name);
  const manifest: Manifest = { rows: new Map(), refused: new Map(), issues: [] };
  const seen = new Map<string, string>();
  for (const { where, values } of records) {
    const problems: string[] = [];
    const row = readRow(where, values, problems);
    const key = row ? manifestKey(row.file) : '';
    if (!row || !key) {
      manifest.issues.push({
        where,
        message: `skipped: expected a file name, got ${describeValue(values.file)}`,
      });
      continue;
    }
    if (seen.has(key)) {
      problems.push(
        `file ${JSON.stringify(key)} is already listed (${seen.get(key)}): expected one row per file`,
      );
    }
    seen.set(key, where);
    if (problems.length > 0) {
      manifest.issues.push(...problems.map((message) => ({ where, message })));
      manifest.rows.delete(key);
      manifest.refused.set(key, `its manifest row (${where}) is wrong: ${problems.join('; ')}`);
      continue;
    }
    if (!manifest.refused.has(key)) manifest.rows.set(key, row);
  }
  return manifest;
}

interface RawRecord {
  where: string;
  values: Partial<Record<Column, unknown>>;
}

function unusable(name: string, where: string, message: string): ParseFormatError {
  return new ParseFormatError(`${name}: ${message}`, [{ where, message }]);
}

function jsonRecords(text: string, name: string): RawRecord[] {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw unusable(name, name, `not valid JSON (${(err as Error).message}): expected ${EXPECTED}`);
  }
  const list = Array.isArray(root) ? root : isObject(root) ? root.files : undefined;
  const base = Array.isArray(root) ? '$' : '$.files';
  if (!Array.isArray(list))
    throw unusable(name, `${name} $`, `expected ${EXPECTED}, got ${describeValue(root)}`);
  return list.map((item, i) => {
    const values: RawRecord['values'] = {};
    if (isObject(item)) {
      for (const [key, value] of Object.entries(item)) {
        const column = columnOf(key);
        if (column && values[column] === undefined) values[column] = value;
      }
    }
    return { where: `${name} ${base}[${i}]`, values };
  });
}

function csvRecords(text: string, name: string): RawRecord[] {
  const header0 = firstLine(text);
  const delimiter = (header0.match(/\t/g)?.length ?? 0) > (header0.match(/,/g)?.length ?? 0) ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof records;
  } catch (err) {
    throw unusable(name, name, `not readable CSV (${(err as Error).message}): expected ${EXPECTED}`);
  }
  const [header, ...body] = records;
  const columns = (header?.record ?? []).map(columnOf);
  if (!columns.includes('file')) {
    throw unusable(
      name,
      `${name} line 1`,
      `expected a header row naming the columns ${MANIFEST_COLUMNS.join(', ')} (file required), got ${JSON.stringify((header?.record ?? []).join(delimiter)).slice(0, 120)}`,
    );
  }
  return body.map(({ record, info }) => {
    const values: RawRecord['values'] = {};
    columns.forEach((column, i) => {
      const value = record[i]?.trim();
      if (column && values[column] === undefined && value) values[column] = value;
    });
    return { where: `${name} line ${info.lines}`, values };
  });
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function readRow(where: string, values: RawRecord['values'], problems: string[]): ManifestRow | undefined {
  const file = text(values.file);
  if (!file) return undefined;
  const row: ManifestRow = { where, file };
  for (const field of ['id', 'agentId', 'customerId'] as const) {
    const value = values[field];
    if (value === undefined || value === null || value === '') continue;
    const id = text(value);
    if (id && id.length <= 200) row[field] = id;
    else problems.push(`${field}: expected text of at most 200 characters, got ${describeValue(value)}`);
  }
  if (values.startedAt !== undefined && values.startedAt !== null && values.startedAt !== '') {
    const time = parseTimestamp(values.startedAt);
    if (time) row.startedAt = time.iso;
    else {
      problems.push(
        `startedAt: ${describeValue(values.startedAt)} is not a time: expected e.g. 2026-11-01 09:30:12 or 2026-11-01T09:30:12+08:00`,
      );
    }
  }
  if (values.channel !== undefined && values.channel !== null && values.channel !== '') {
    const channel = text(values.channel)?.toLowerCase();
    if ((CHANNELS as readonly string[]).includes(channel ?? '')) row.channel = channel as Channel;
    else problems.push(`channel: expected ${CHANNELS.join(' or ')}, got ${describeValue(values.channel)}`);
  }
  if (values.speakers !== undefined && values.speakers !== null && values.speakers !== '') {
    const speakers = speakerMap(values.speakers);
    if (speakers) row.speakers = speakers;
    else {
      problems.push(
        `speakers: expected e.g. "0:agent,1:customer" (roles ${SPEAKERS.join(', ')}), got ${describeValue(values.speakers)}`,
      );
    }
  }
  return row;
}

/** "0:agent,1:customer" or { "0": "agent", "1": "customer" }; undefined when malformed. */
function speakerMap(value: unknown): Record<string, Speaker> | undefined {
  const pairs: [string, unknown][] = isObject(value)
    ? Object.entries(value)
    : typeof value === 'string'
      ? value.split(/[,;]/).map((pair) => {
          const at = pair.lastIndexOf(':');
          return [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
        })
      : [];
  if (pairs.length === 0) return undefined;
  const map: Record<string, Speaker> = {};
  for (const [id, role] of pairs) {
    if (!id || !(SPEAKERS as readonly unknown[]).includes(role)) return undefined;
    map[id] = role as Speaker;
  }
  return map;
}
