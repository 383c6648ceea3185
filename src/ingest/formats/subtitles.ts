import { splitSpeakerPrefix, roleOfLabel } from './speaker-labels.js';
import { clockToMs, joinWords } from './text-utils.js';
import type { Fragment } from './utterance-builder.js';
import type { ParseContext } from './types.js';

/** One subtitle cue as WebVTT and SRT share it. */
export interface Cue {
  where: string;
  startMs: number;
  endMs: number;
  lines: string[];
}

const TIMING =
  /^\s*((?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s|$)/;

/** "00:00:01.000 --> 00:00:04.000 align:start" -> times in ms, or undefined when it is not a timing line. */
export function parseTiming(line: string): { startMs: number; endMs: number } | undefined {
  const m = TIMING.exec(line);
  const startMs = m ? clockToMs(m[1] ?? '') : undefined;
  const endMs = m ? clockToMs(m[2] ?? '') : undefined;
  return startMs !== undefined && endMs !== undefined ? { startMs, endMs } : undefined;
}

const VOICE = /^<v(?:\.[^\s>]*)?\s+([^>]+)>/;
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&nbsp;': ' ',
  '&lrm;': '',
  '&rlm;': '',
};

/**
 * Cues -> fragments. A line names its voice by a WebVTT voice tag (<v 坐席>) or a prefix (坐席：,
 * [客户]); a line without one continues the previous voice, as subtitles split long sentences.
 */
export function cuesToFragments(cues: Cue[], ctx: ParseContext): Fragment[] {
  const fragments: Fragment[] = [];
  for (const cue of cues) {
    for (const rawLine of cue.lines) {
      const voice = VOICE.exec(rawLine.trim());
      const plain = decode(rawLine.trim().replace(/<[^>]*>/g, '')).replace(/^-\s+/, '');
      const prefix = voice ? undefined : splitSpeakerPrefix(plain, ctx.speakers);
      const label = voice?.[1]?.trim() ?? prefix?.label;
      const text = prefix ? prefix.rest : plain;
      const last = fragments.at(-1);
      if (label === undefined && last) {
        last.text = joinWords(last.text, text);
        last.endMs = Math.max(last.endMs ?? cue.endMs, cue.endMs);
        continue;
      }
      const role = label !== undefined ? roleOfLabel(label) : undefined;
      fragments.push({
        where: cue.where,
        text,
        startMs: cue.startMs,
        endMs: cue.endMs,
        ...(label !== undefined ? { speaker: label } : {}),
        ...(role ? { role } : {}),
      });
    }
  }
  return fragments;
}

function decode(text: string): string {
  return text.replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** Splits a subtitle file into blank-line separated blocks, keeping the line number each starts on. */
export function blocks(text: string): { line: number; lines: string[] }[] {
  const out: { line: number; lines: string[] }[] = [];
  let current: { line: number; lines: string[] } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) {
      current = undefined;
      return;
    }
    if (!current) {
      current = { line: i + 1, lines: [] };
      out.push(current);
    }
    current.lines.push(line);
  });
  return out;
}
