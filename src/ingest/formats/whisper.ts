import { z } from 'zod';
import { isObject, parseJsonFile, wrongShape } from './json-input.js';
import type { Fragment } from './utterance-builder.js';
import { finishCall, secondsField, speakerId } from './vendor-common.js';
import type { FormatOutput, ParseContext } from './types.js';
import { describeValue, validateEach } from './zod-issues.js';

/*
 * Whisper JSON output and its diarising derivatives (WhisperX, faster-whisper + pyannote):
 *   { "segments": [ { "start": 0.0, "end": 2.38, "text": " 您好…", "speaker": "SPEAKER_00" } ] }
 * or the segments array alone. Times are seconds.
 *
 * Plain Whisper does not diarise: without speakers nobody can tell the agent from the customer,
 * and guessing (all one role, or alternating turns) would put the agent's sales script in the
 * customer's mouth and create false needs and complaints. So a file without any speaker label
 * yields no conversation, only an issue asking for a diarised file. In a diarised file, a segment
 * WhisperX could not attribute is skipped with an issue rather than given to a guessed speaker.
 */

const EXPECTED = 'a Whisper/WhisperX result: { "segments": [ { "start", "end", "text", "speaker" } ] }';
const HINT =
  'run WhisperX with diarisation (whisperx --diarize) so every segment carries "speaker", or convert the transcript to text with 坐席：/客户： prefixes';

const segment = z.object({
  text: z.string(),
  start: secondsField.optional(),
  end: secondsField.optional(),
  speaker: speakerId.optional(),
});

export function parseWhisper(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  const segments = Array.isArray(root) ? root : isObject(root) ? root.segments : undefined;
  const base = `${ctx.name} $${Array.isArray(root) ? '' : '.segments'}`;
  if (!Array.isArray(segments)) throw wrongShape(ctx, base, EXPECTED, describeValue(segments));
  const { valid, issues } = validateEach(segments, segment, (i) => `${base}[${i}]`);
  const fragments: Fragment[] = valid.map(({ value: s, where }) => ({
    where,
    text: s.text,
    ...(s.speaker !== undefined ? { speaker: s.speaker } : {}),
    ...(s.start !== undefined ? { startMs: s.start } : {}),
    ...(s.end !== undefined ? { endMs: s.end } : {}),
  }));
  return finishCall({ where: ctx.name, fragments }, issues, ctx, HINT);
}
