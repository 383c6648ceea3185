import { CHANNELS, type Channel } from '../../domain/conversation.js';
import { parseTimestamp } from '../formats/text-utils.js';
import { ParseFormatError, type FileFacts } from '../formats/types.js';

/*
 * A file-name pattern such as `{date:yyyyMMdd}_{time:HHmmss}_{agentId}_{customerId}` reads
 * `20261101_093012_a-023_cust-88231.json` as 2026-11-01 09:30:12 (China Standard Time), agent a-023,
 * customer cust-88231. Placeholders: {date:…}, {time:…} and {datetime:…} with the letters yyyy, yy,
 * MM, dd, HH, mm, ss, SSS; {id}, {agentId}, {customerId}, {channel} (call|chat); {*} for a part to
 * ignore. Everything else is literal. The pattern must match the whole name without its extension
 * (or, failing that, with it).
 */

const FIELDS = ['id', 'agentId', 'customerId', 'channel', '*'] as const;
type Field = (typeof FIELDS)[number];
const TIME_KINDS = ['date', 'time', 'datetime'];
const LETTERS: Record<string, { part: TimePart; digits: number }> = {
  yyyy: { part: 'year', digits: 4 },
  yy: { part: 'year', digits: 2 },
  MM: { part: 'month', digits: 2 },
  dd: { part: 'day', digits: 2 },
  HH: { part: 'hour', digits: 2 },
  mm: { part: 'minute', digits: 2 },
  ss: { part: 'second', digits: 2 },
  SSS: { part: 'milli', digits: 3 },
};
type TimePart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'milli';

export type NameReader = (filename: string) => FileFacts | undefined;

function invalid(pattern: string, message: string): ParseFormatError {
  const full = `namePattern ${JSON.stringify(pattern)}: ${message}`;
  return new ParseFormatError(full, [{ where: 'namePattern', message: full }]);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Compiles a pattern into a reader of file names: the facts it finds, or undefined when the name
 * does not match (or its date is not a date). Throws ParseFormatError for a pattern that is wrong.
 */
export function compileNamePattern(pattern: string): NameReader {
  const captures: ({ field: Field } | { time: TimePart; digits: number })[] = [];
  let source = '';
  let at = 0;
  for (const m of pattern.matchAll(/\{([^{}]*)\}/g)) {
    source += escape(pattern.slice(at, m.index));
    at = m.index + m[0].length;
    const [kind = '', format] = (m[1] ?? '').split(':', 2).map((s) => s.trim());
    if (format !== undefined && TIME_KINDS.includes(kind)) {
      source += timeSource(format, captures, pattern);
    } else if ((FIELDS as readonly string[]).includes(kind) && format === undefined) {
      captures.push({ field: kind as Field });
      source += '(.+?)';
    } else {
      throw invalid(
        pattern,
        `unknown placeholder {${m[1]}}: expected {date:yyyyMMdd}, {time:HHmmss}, {datetime:…}, ${FIELDS.map((f) => `{${f}}`).join(', ')}`,
      );
    }
  }
  source += escape(pattern.slice(at));
  if (/[{}]/.test(pattern.slice(at)) || captures.length === 0)
    throw invalid(
      pattern,
      'expected at least one placeholder such as {date:yyyyMMdd} or {agentId}, and balanced braces',
    );
  const parts = new Set(captures.flatMap((c) => ('time' in c ? [c.time] : [])));
  if (parts.size > 0 && !['year', 'month', 'day'].every((p) => parts.has(p as TimePart)))
    throw invalid(pattern, 'a time needs its date: expected yyyy (or yy), MM and dd');
  const regex = new RegExp(`^${source}$`, 'u');

  return (filename) => {
    const base = filename.split(/[/\\]/).pop() ?? filename;
    const m = regex.exec(base.replace(/\.[A-Za-z0-9]{1,8}$/, '')) ?? regex.exec(base);
    if (!m) return undefined;
    const facts: FileFacts = {};
    const time: Partial<Record<TimePart, string>> = {};
    captures.forEach((c, i) => {
      const value = m[i + 1] ?? '';
      if ('time' in c) time[c.time] = c.digits === 2 && c.time === 'year' ? `20${value}` : value;
      else if (c.field === 'channel') {
        if ((CHANNELS as readonly string[]).includes(value.toLowerCase()))
          facts.channel = value.toLowerCase() as Channel;
      } else if (c.field !== '*') facts[c.field] = value;
    });
    if (time.year) {
      const stamp = parseTimestamp(
        `${time.year}-${time.month}-${time.day} ${time.hour ?? '00'}:${time.minute ?? '00'}:${time.second ?? '00'}${time.milli ? `.${time.milli}` : ''}`,
      );
      if (!stamp) return undefined;
      facts.startedAt = stamp.iso;
    }
    return facts;
  };
}

function timeSource(
  format: string,
  captures: ({ field: Field } | { time: TimePart; digits: number })[],
  pattern: string,
): string {
  let source = '';
  let rest = format;
  while (rest) {
    const letters = Object.keys(LETTERS).find((l) => rest.startsWith(l));
    if (letters) {
      const { part, digits } = LETTERS[letters]!;
      if (captures.some((c) => 'time' in c && c.time === part))
        throw invalid(
          pattern,
          `${letters} appears twice: expected each of year, month, day, hour, minute, second once`,
        );
      captures.push({ time: part, digits });
      source += `(\\d{${digits}})`;
      rest = rest.slice(letters.length);
    } else if (/^[A-Za-z]/.test(rest)) {
      throw invalid(
        pattern,
        `unknown letter "${rest[0]}" in a time format: expected ${Object.keys(LETTERS).join(', ')}`,
      );
    } else {
      source += escape(rest[0]!);
      rest = rest.slice(1);
    }
  }
  return source;
}
