import { z } from 'zod';
import { isObject, maybeJsonString, parseJsonFile, wrongShape, type JsonObject } from './json-input.js';
import type { Fragment } from './utterance-builder.js';
import { finishCall, msField, speakerId } from './vendor-common.js';
import type { FormatOutput, ParseContext } from './types.js';
import { describeValue, validateEach } from './zod-issues.js';

/*
 * Alibaba Cloud Intelligent Speech Interaction, recording file recognition (录音文件识别, filetrans),
 * the GetTaskResult response or callback body:
 *   { "TaskId": "…", "StatusText": "SUCCESS", "Result": { "Sentences": [
 *       { "BeginTime": 340, "EndTime": 2365, "Text": "您好…", "ChannelId": 0, "SpeakerId": "1"? } ] } }
 * Also accepted: the Result object alone. Dual-channel recordings tell the voices apart by
 * ChannelId; mono recordings only with speaker diarisation on, which adds SpeakerId.
 */

const EXPECTED =
  'an Alibaba Cloud filetrans result: { "TaskId", "Result": { "Sentences": [ { "Text", "ChannelId", "BeginTime", "EndTime" } ] } }';
const HINT =
  'record the call on two channels, or enable speaker diarisation in the filetrans request so sentences carry SpeakerId';

const sentence = z.object({
  Text: z.string(),
  BeginTime: msField.optional(),
  EndTime: msField.optional(),
  ChannelId: speakerId.optional(),
  SpeakerId: speakerId.optional(),
});

export function parseAliyun(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  if (!isObject(root)) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, describeValue(root));
  const wrapped = root.Result !== undefined || root.TaskId !== undefined;
  const result = wrapped ? maybeJsonString(root.Result).value : root;
  const sentences = isObject(result) ? result.Sentences : undefined;
  const base = `${ctx.name} $${wrapped ? '.Result' : ''}.Sentences`;
  if (!Array.isArray(sentences)) {
    const status =
      typeof root.StatusText === 'string' && root.StatusText !== 'SUCCESS'
        ? ` (task status ${root.StatusText})`
        : '';
    throw wrongShape(ctx, base, `${EXPECTED}${status}`, describeValue(sentences));
  }
  const { valid, issues } = validateEach(sentences, sentence, (i) => `${base}[${i}]`);
  const diarised = valid.some((s) => s.value.SpeakerId !== undefined);
  const fragments: Fragment[] = valid.map(({ value: s, where }) => {
    const speaker = diarised ? s.SpeakerId : s.ChannelId;
    return {
      where,
      text: s.Text,
      ...(speaker !== undefined ? { speaker } : {}),
      ...(s.BeginTime !== undefined ? { startMs: s.BeginTime } : {}),
      ...(s.EndTime !== undefined ? { endMs: s.EndTime } : {}),
    };
  });
  return finishCall({ where: ctx.name, ...idOf(root), fragments }, issues, ctx, HINT);
}

function idOf(root: JsonObject): { id?: string } {
  return typeof root.TaskId === 'string' && root.TaskId.trim() ? { id: root.TaskId.trim() } : {};
}
