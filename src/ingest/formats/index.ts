import { createHash } from 'node:crypto';
import { SPEAKERS } from '../../domain/conversation.js';
import { detectFormat } from '../detect.js';
import { parseAliyun } from './aliyun.js';
import { parseAwsTranscribe } from './aws-transcribe.js';
import { parseChatCsv } from './chat-csv.js';
import { parseChatJson } from './chat-json.js';
import { decodeUpload } from './decode.js';
import { parseIflytek } from './iflytek.js';
import { parseMapped } from './mapped.js';
import { parseNativeJson, parseNativeNdjson } from './native.js';
import { parseSrt } from './srt.js';
import { parseTencent } from './tencent.js';
import { parseText } from './text.js';
import { parseTimestamp } from './text-utils.js';
import {
  FORMATS,
  ParseFormatError,
  type FormatId,
  type FormatParser,
  type ParseContext,
  type ParseOptions,
  type ParseResult,
  type SpeakerMapping,
} from './types.js';
import { parseWebVtt } from './webvtt.js';
import { parseWecomArchive } from './wecom-archive.js';
import { parseWechatKf } from './wechat-kf.js';
import { parseWhisper } from './whisper.js';

export { detectFormat } from '../detect.js';
export { validateNativeConversation } from './native.js';
export {
  FORMATS,
  ParseFormatError,
  type ChatMapping,
  type FileFacts,
  type FormatId,
  type ParseIssue,
  type ParseOptions,
  type ParseResult,
  type SpeakerMapping,
} from './types.js';

const PARSERS: Record<FormatId, FormatParser> = {
  'native-json': parseNativeJson,
  'native-ndjson': parseNativeNdjson,
  text: parseText,
  aliyun: parseAliyun,
  iflytek: parseIflytek,
  tencent: parseTencent,
  'aws-transcribe': parseAwsTranscribe,
  whisper: parseWhisper,
  webvtt: parseWebVtt,
  srt: parseSrt,
  'chat-csv': parseChatCsv,
  'chat-json': parseChatJson,
  'wechat-kf': parseWechatKf,
  'wecom-archive': parseWecomArchive,
  mapped: parseMapped,
};

/**
 * Turns an uploaded file into native conversations. Good items are kept and bad ones reported in
 * `issues` with where they are and what was expected. Throws ParseFormatError only when the whole
 * file is unusable: empty, binary, not UTF-8/GB18030 text, of no recognisable format, or not the
 * shape of the format it was declared as. Pure: no I/O.
 */
export function parseUpload(content: Buffer | string, options: ParseOptions): ParseResult {
  const name = options.filename?.trim() || 'upload';
  const text = decodeUpload(content, name);
  // A mapping file says how to read the export, whatever it looks like.
  const format = options.format ?? (options.mapping ? 'mapped' : detectFormat(text, options.filename));
  if (!format || !Object.hasOwn(PARSERS, format)) {
    const message = `${format ? `unknown format "${format}"` : 'the format could not be recognised'}: expected one of ${FORMATS.join(', ')} (pass the format explicitly when detection fails)`;
    throw new ParseFormatError(`${name}: ${message}`, [{ where: name, message }]);
  }
  const ctx: ParseContext = {
    name,
    stem: stemOf(name),
    hash: createHash('sha256').update(content).digest('hex').slice(0, 12),
    speakers: checkSpeakers(options.speakers ?? {}),
    defaults: {
      ...(options.defaults?.channel ? { channel: options.defaults.channel } : {}),
      ...(options.defaults?.startedAt ? { startedAt: checkStartedAt(options.defaults.startedAt) } : {}),
    },
    manifest: options.manifest ?? {},
    fromName: options.fromName ?? {},
    ...(options.receivedAt ? { receivedAt: options.receivedAt } : {}),
    ...(options.mapping ? { mapping: options.mapping } : {}),
  };
  return { format, ...PARSERS[format](text, ctx) };
}

/** "exports/2026-11-01 通话.json" -> "2026-11-01-通话", the readable part of derived ids. */
function stemOf(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? name;
  const stem = base
    .replace(/\.[A-Za-z0-9]{1,8}$/, '')
    .replace(/\s+/g, '-')
    .slice(0, 100);
  return stem || 'upload';
}

function checkStartedAt(value: string): string {
  const time = parseTimestamp(value);
  if (time) return time.iso;
  const message = `"${value}" is not a time: expected ISO 8601 such as 2026-11-01T10:00:00+08:00`;
  throw new ParseFormatError(`startedAt: ${message}`, [{ where: 'startedAt', message }]);
}

function checkSpeakers(speakers: SpeakerMapping): SpeakerMapping {
  for (const [id, role] of Object.entries(speakers.map ?? {})) {
    if (!(SPEAKERS as readonly string[]).includes(role)) {
      const message = `speaker "${id}" mapped to "${String(role)}": expected one of ${SPEAKERS.join('|')}`;
      throw new ParseFormatError(`speakers: ${message}`, [{ where: 'speakers', message }]);
    }
  }
  return speakers;
}
