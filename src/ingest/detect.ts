import { fieldOf, fieldsOf } from './formats/chat-rows.js';
import { isObject, type JsonObject } from './formats/json-input.js';
import { splitSpeakerPrefix } from './formats/speaker-labels.js';
import { firstLine } from './formats/text-utils.js';
import type { FormatId } from './formats/types.js';
import { isWecomArchiveMessage } from './formats/wecom-archive.js';
import { looksLikeWechatKf } from './formats/wechat-kf.js';

const BY_EXTENSION: Record<string, FormatId> = {
  vtt: 'webvtt',
  srt: 'srt',
  csv: 'chat-csv',
  tsv: 'chat-csv',
  ndjson: 'native-ndjson',
  jsonl: 'native-ndjson',
};

/**
 * Guesses the format of an upload: by file extension first (.vtt, .srt, .csv, .ndjson/.jsonl;
 * .txt unless it is really subtitles), then by the content: subtitle headers, the keys of a JSON
 * document, speaker prefixes of a text transcript, the header row of a chat CSV. Undefined when
 * nothing fits; the caller then asks for an explicit format.
 */
export function detectFormat(content: string, filename?: string): FormatId | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename ?? '')?.[1]?.toLowerCase();
  const byExtension = ext ? BY_EXTENSION[ext] : undefined;
  // Archive tools write WeCom messages one per line, under the same extensions as native NDJSON.
  if (
    byExtension === 'native-ndjson' &&
    sniffJson(content.replace(/^\ufeff/, '').trimStart()) === 'wecom-archive'
  )
    return 'wecom-archive';
  if (byExtension) return byExtension;
  const text = content.replace(/^\ufeff/, '').trimStart();
  const subtitles = sniffSubtitles(text);
  if (subtitles) return subtitles;
  if (ext === 'txt') return 'text';
  if (text.startsWith('{') || text.startsWith('[')) return sniffJson(text);
  if (looksLikeTranscript(text)) return 'text';
  if (looksLikeChatCsv(text)) return 'chat-csv';
  return undefined;
}

function sniffSubtitles(text: string): FormatId | undefined {
  if (text.startsWith('WEBVTT')) return 'webvtt';
  if (/^\d+[ \t]*\r?\n[ \t]*(\d{1,3}:)?\d{1,2}:\d{2}[,.]\d{1,3}[ \t]*-->/.test(text)) return 'srt';
  return undefined;
}

function sniffJson(text: string): FormatId | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Several JSON documents, one per line: NDJSON when the first line is an object of its own.
    const line = firstLine(text).trim();
    try {
      const first: unknown = JSON.parse(line);
      if (isWecomArchiveMessage(first)) return 'wecom-archive';
      return isObject(first) ? 'native-ndjson' : undefined;
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value)) return sniffArray(value);
  return isObject(value) ? sniffObject(value) : undefined;
}

function sniffArray(items: unknown[]): FormatId | undefined {
  const first = items.find(isObject);
  if (!first) return undefined;
  if ('utterances' in first) return 'native-json';
  if (looksLikeWechatKf(items)) return 'wechat-kf';
  if (isWecomArchiveMessage(first)) return 'wecom-archive';
  if ('text' in first && 'start' in first && 'end' in first) return 'whisper';
  const fields = fieldsOf(first);
  return fields.content !== undefined && fields.sender !== undefined ? 'chat-json' : undefined;
}

const has = (o: unknown, ...path: string[]): boolean => {
  let value = o;
  for (const key of path) {
    if (!isObject(value) || !(key in value)) return false;
    value = value[key];
  }
  return true;
};

function sniffObject(o: JsonObject): FormatId | undefined {
  if ('utterances' in o) return 'native-json';
  if (Array.isArray(o.msg_list)) return 'wechat-kf';
  if (isWecomArchiveMessage(o)) return 'wecom-archive';
  if (has(o, 'Response', 'Data') || has(o, 'Data', 'ResultDetail') || 'ResultDetail' in o || 'StatusStr' in o)
    return 'tencent';
  if (has(o, 'Result', 'Sentences') || 'Sentences' in o || ('TaskId' in o && 'StatusText' in o))
    return 'aliyun';
  if (
    has(o, 'content', 'orderResult') ||
    'orderResult' in o ||
    'lattice' in o ||
    ('data' in o && 'err_no' in o)
  )
    return 'iflytek';
  if (has(o, 'results', 'items') || has(o, 'results', 'audio_segments') || ('jobName' in o && 'results' in o))
    return 'aws-transcribe';
  if ('audio_segments' in o || ('items' in o && 'transcripts' in o)) return 'aws-transcribe';
  if (Array.isArray(o.segments)) return 'whisper';
  if (Array.isArray(o.sessions) || Array.isArray(o.messages)) return 'chat-json';
  return undefined;
}

const TIME = /^\s*[[(（【]?\d{1,3}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])）】]?\s*/;

/** At least two lines, among the first fifty, that start with a speaker such as 坐席： or 客户：. */
function looksLikeTranscript(text: string): boolean {
  const lines = text.split('\n', 50);
  return (
    lines.filter((line) => splitSpeakerPrefix(line.replace(TIME, ''), {})).length >= Math.min(2, lines.length)
  );
}

function looksLikeChatCsv(text: string): boolean {
  const header = firstLine(text);
  const fields = header.split(/[,\t]/).map((name) => fieldOf(name.replace(/^"|"$/g, '')));
  return fields.includes('content') && fields.includes('sender');
}
