import { finishCall } from './vendor-common.js';
import { blocks, cuesToFragments, parseTiming, type Cue } from './subtitles.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';

/*
 * SubRip subtitles of a call:
 *   1
 *   00:00:00,500 --> 00:00:03,200
 *   坐席：您好，很高兴为您服务
 * Speakers come from 坐席：/客户：/[客户] prefixes; a cue without one continues the previous speaker.
 */

const HINT = 'start each cue with the speaker, e.g. "坐席：…" or "客户：…"';

export function parseSrt(text: string, ctx: ParseContext): FormatOutput {
  const issues: ParseIssue[] = [];
  const cues: Cue[] = [];
  blocks(text).forEach((block, i) => {
    const numbered = /^\s*\d+\s*$/.test(block.lines[0] ?? '');
    const where = `${ctx.name} cue ${numbered ? (block.lines[0] ?? '').trim() : i + 1}`;
    const timingLine = block.lines[numbered ? 1 : 0] ?? '';
    const timing = parseTiming(timingLine);
    if (!timing) {
      issues.push({
        where,
        message: `skipped: expected a time line like 00:00:01,000 --> 00:00:04,000, got "${timingLine.slice(0, 60)}"`,
      });
      return;
    }
    cues.push({ where, ...timing, lines: block.lines.slice(numbered ? 2 : 1) });
  });
  const fragments = cuesToFragments(cues, ctx);
  return finishCall({ where: ctx.name, fragments }, issues, ctx, HINT);
}
