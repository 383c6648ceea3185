import { finishCall } from './vendor-common.js';
import { blocks, cuesToFragments, parseTiming, type Cue } from './subtitles.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';

/*
 * WebVTT captions of a call:
 *   WEBVTT
 *
 *   00:00:00.500 --> 00:00:03.200
 *   <v 坐席>您好，很高兴为您服务
 *
 *   00:00:03.400 --> 00:00:06.000
 *   客户：我想问一下信用卡年费
 * Voices come from <v> tags or 坐席：/客户： prefixes; unknown voice names go through the speaker
 * mapping (first voice = agent by default). NOTE, STYLE and REGION blocks are skipped.
 */

const HINT = 'write the speaker in each cue as <v 坐席> or "客户：…"';

export function parseWebVtt(text: string, ctx: ParseContext): FormatOutput {
  const issues: ParseIssue[] = [];
  const all = blocks(text);
  const first = all[0];
  if (!first?.lines[0]?.startsWith('WEBVTT')) {
    issues.push({
      where: `${ctx.name} line 1`,
      message: 'expected the file to start with "WEBVTT"; reading the cues anyway',
    });
  }
  const cues: Cue[] = [];
  for (const block of all) {
    const head = block.lines[0] ?? '';
    if (head.startsWith('WEBVTT') || /^(NOTE|STYLE|REGION)\b/.test(head)) continue;
    const timingIndex = block.lines.findIndex((l) => l.includes('-->'));
    const where = `${ctx.name} cue ${cues.length + 1} (line ${block.line})`;
    const timing =
      timingIndex >= 0 && timingIndex <= 1 ? parseTiming(block.lines[timingIndex] ?? '') : undefined;
    if (!timing) {
      issues.push({
        where,
        message: `skipped: expected a timing line like 00:00:01.000 --> 00:00:04.000, got "${head.slice(0, 60)}"`,
      });
      continue;
    }
    cues.push({ where, ...timing, lines: block.lines.slice(timingIndex + 1) });
  }
  const fragments = cuesToFragments(cues, ctx);
  return finishCall({ where: ctx.name, fragments }, issues, ctx, HINT);
}
