import { z } from 'zod';
import { isObject, parseJsonFile, wrongShape, type JsonObject } from './json-input.js';
import type { Fragment } from './utterance-builder.js';
import { finishCall, secondsField } from './vendor-common.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';
import { describeValue, validateEach, zodIssues } from './zod-issues.js';

/*
 * Amazon Transcribe batch output:
 *   { "jobName": "…", "status": "COMPLETED", "results": {
 *       "audio_segments": [ { "transcript", "start_time": "4.87", "end_time": "6.88", "speaker_label": "spk_0" } ],
 *       "items": [ { "type": "pronunciation", "start_time", "end_time", "speaker_label"?, "channel_label"?,
 *                    "alternatives": [ { "content": "您好" } ] } ],
 *       "speaker_labels": { "segments": [ { "speaker_label", "items": [ { "start_time", "speaker_label" } ] } ] },
 *       "channel_labels": { "channels": [ { "channel_label": "ch_0", "items": [ … ] } ] } } }
 * audio_segments (newer outputs) are read when present; otherwise utterances are rebuilt from the
 * word items, each word's voice taken from the item, from the speaker segment covering its start
 * time, or for punctuation from the word before it. Also accepted: the results object alone.
 * Chinese comes out with spaces between characters; the shared text normaliser removes them.
 */

const EXPECTED =
  'an Amazon Transcribe result: { "jobName", "results": { "audio_segments" or "items": [ … ] } }';
const HINT =
  'enable speaker partitioning (ShowSpeakerLabels) or channel identification (ChannelIdentification) in the transcription job';

const label = z.string().optional();
const segment = z.object({
  transcript: z.string(),
  start_time: secondsField.optional(),
  end_time: secondsField.optional(),
  speaker_label: label,
  channel_label: label,
});
const item = z.object({
  type: z.string().optional(),
  start_time: secondsField.optional(),
  end_time: secondsField.optional(),
  speaker_label: label,
  channel_label: label,
  alternatives: z.array(z.object({ content: z.string() })).min(1, 'expected at least one alternative'),
});
type Item = z.infer<typeof item>;

export function parseAwsTranscribe(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  const wrapped = isObject(root) && isObject(root.results);
  const results = wrapped ? (root.results as JsonObject) : root;
  const base = `${ctx.name} $${wrapped ? '.results' : ''}`;
  if (!isObject(results)) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, describeValue(root));
  const bySegment = Array.isArray(results.audio_segments);
  const read = bySegment
    ? fromSegments(results.audio_segments as unknown[], `${base}.audio_segments`)
    : fromItems(results, base);
  if (!read) {
    const status =
      wrapped && typeof (root as JsonObject).status === 'string'
        ? ` (job status ${String((root as JsonObject).status)})`
        : '';
    throw wrongShape(ctx, `${base}.items`, `${EXPECTED}${status}`, describeValue(results.items));
  }
  const job = wrapped ? (root as JsonObject).jobName : undefined;
  const id = typeof job === 'string' && job.trim() ? { id: job.trim() } : {};
  // Items are single words: join consecutive words of one voice into an utterance.
  return finishCall({ where: ctx.name, ...id, fragments: read.fragments }, read.issues, ctx, HINT, {
    merge: !bySegment,
  });
}

function fromSegments(segments: unknown[], base: string): { fragments: Fragment[]; issues: ParseIssue[] } {
  const { valid, issues } = validateEach(segments, segment, (i) => `${base}[${i}]`);
  const fragments = valid.map(({ value: s, where }) => fragment(where, s.transcript, s));
  return { fragments, issues };
}

function fromItems(
  results: JsonObject,
  base: string,
): { fragments: Fragment[]; issues: ParseIssue[] } | undefined {
  const channels =
    isObject(results.channel_labels) && Array.isArray(results.channel_labels.channels)
      ? results.channel_labels.channels
      : [];
  const perChannel = channels.flatMap((c, ci) =>
    isObject(c) && Array.isArray(c.items)
      ? c.items.map((it, i) => ({
          raw: it,
          where: `${base}.channel_labels.channels[${ci}].items[${i}]`,
          channel: c.channel_label,
        }))
      : [],
  );
  const top = Array.isArray(results.items)
    ? results.items.map((it, i) => ({ raw: it, where: `${base}.items[${i}]`, channel: undefined }))
    : undefined;
  // Channel identification lists the words per channel; the top-level items may lack channel_label.
  const useChannels =
    perChannel.length > 0 &&
    !(top ?? []).some((t) => isObject(t.raw) && typeof t.raw.channel_label === 'string');
  const source = useChannels ? perChannel : top;
  if (!source) return undefined;

  const issues: ParseIssue[] = [];
  const words: { item: Item; where: string; voice?: string; order: number }[] = [];
  const speakerAt = speakerByStartTime(results.speaker_labels);
  let order = 0;
  let voice: string | undefined;
  for (const entry of source) {
    const result = item.safeParse(entry.raw);
    if (!result.success) {
      issues.push(...zodIssues(result.error, entry.raw, entry.where));
      continue;
    }
    const it = result.data;
    const channel = typeof entry.channel === 'string' ? entry.channel : undefined;
    if (it.start_time !== undefined) order = it.start_time;
    voice =
      it.speaker_label ??
      it.channel_label ??
      channel ??
      (it.start_time !== undefined ? speakerAt.get(it.start_time) : voice);
    words.push({ item: it, where: entry.where, ...(voice !== undefined ? { voice } : {}), order });
  }
  if (useChannels) words.sort((a, b) => a.order - b.order);
  const fragments = words.map(({ item: it, where, voice: v }) => ({
    ...fragment(where, it.alternatives[0]?.content ?? '', it),
    ...(v !== undefined ? { speaker: v } : {}),
  }));
  return { fragments, issues };
}

/** speaker_labels.segments[].items[] -> start time (ms) -> speaker label, for outputs whose items carry none. */
function speakerByStartTime(speakerLabels: unknown): Map<number, string> {
  const map = new Map<number, string>();
  if (!isObject(speakerLabels) || !Array.isArray(speakerLabels.segments)) return map;
  for (const seg of speakerLabels.segments) {
    if (!isObject(seg) || !Array.isArray(seg.items)) continue;
    for (const it of seg.items) {
      const parsed = z.object({ start_time: secondsField, speaker_label: z.string() }).safeParse(it);
      if (parsed.success && parsed.data.start_time !== undefined)
        map.set(parsed.data.start_time, parsed.data.speaker_label);
    }
  }
  return map;
}

function fragment(
  where: string,
  text: string,
  t: {
    start_time?: number | undefined;
    end_time?: number | undefined;
    speaker_label?: string | undefined;
    channel_label?: string | undefined;
  },
): Fragment {
  const voice = t.speaker_label ?? t.channel_label;
  return {
    where,
    text,
    ...(voice !== undefined ? { speaker: voice } : {}),
    ...(t.start_time !== undefined ? { startMs: t.start_time } : {}),
    ...(t.end_time !== undefined ? { endMs: t.end_time } : {}),
  };
}
