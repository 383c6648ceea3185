import { z } from 'zod';
import { isObject, parseJsonFile, wrongShape, type JsonObject } from './json-input.js';
import type { Fragment } from './utterance-builder.js';
import { finishCall, msField, speakerId } from './vendor-common.js';
import type { FormatOutput, ParseContext, ParseIssue } from './types.js';
import { describeValue, validateEach } from './zod-issues.js';

/*
 * Tencent Cloud ASR recording recognition (录音文件识别), the DescribeTaskStatus response:
 *   { "Response": { "Data": { "TaskId": 1234567, "Status": 2, "StatusStr": "success",
 *       "Result": "[0:0.020,0:2.380,0]  您好…\n…",
 *       "ResultDetail": [ { "FinalSentence": "您好…", "StartMs": 20, "EndMs": 2380, "SpeakerId": 0 } ] } } }
 * Also accepted: the Data object alone. ResultDetail needs ResTextFormat >= 1 in CreateRecTask;
 * without it the "[start,end,speaker]  text" lines of Result are read instead. SpeakerId is the
 * channel (ChannelNum=2) or the diarised speaker (SpeakerDiarization=1).
 * Tencent warns that TaskIds repeat across days, so the conversation id adds the content hash.
 */

const EXPECTED =
  'a Tencent Cloud DescribeTaskStatus result: { "Response": { "Data": { "TaskId", "ResultDetail": [ { "FinalSentence", "SpeakerId", "StartMs", "EndMs" } ] } } }';
const HINT = 'record the call on two channels (ChannelNum=2) or enable SpeakerDiarization in CreateRecTask';

const detail = z.object({
  FinalSentence: z.string(),
  StartMs: msField.optional(),
  EndMs: msField.optional(),
  SpeakerId: speakerId.optional(),
});

export function parseTencent(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  const response = isObject(root) && isObject(root.Response) ? root.Response : undefined;
  const data =
    response && isObject(response.Data)
      ? response.Data
      : isObject(root) && isObject(root.Data)
        ? root.Data
        : root;
  const path = response ? '$.Response.Data' : isObject(root) && isObject(root.Data) ? '$.Data' : '$';
  if (!isObject(data)) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, describeValue(root));
  const read = Array.isArray(data.ResultDetail)
    ? fromDetail(data.ResultDetail, `${ctx.name} ${path}.ResultDetail`)
    : typeof data.Result === 'string' && data.Result.trim()
      ? fromResultText(data.Result, `${ctx.name} ${path}.Result`)
      : undefined;
  if (!read) {
    const status =
      typeof data.StatusStr === 'string' && data.StatusStr !== 'success'
        ? ` (task status ${data.StatusStr})`
        : '';
    throw wrongShape(
      ctx,
      `${ctx.name} ${path}.ResultDetail`,
      `${EXPECTED}${status}`,
      describeValue(data.ResultDetail),
    );
  }
  return finishCall(
    { where: ctx.name, ...idOf(data, ctx), fragments: read.fragments },
    read.issues,
    ctx,
    HINT,
  );
}

function fromDetail(items: unknown[], base: string): { fragments: Fragment[]; issues: ParseIssue[] } {
  const { valid, issues } = validateEach(items, detail, (i) => `${base}[${i}]`);
  const fragments = valid.map(({ value: d, where }) => ({
    where,
    text: d.FinalSentence,
    ...(d.SpeakerId !== undefined ? { speaker: d.SpeakerId } : {}),
    ...(d.StartMs !== undefined ? { startMs: d.StartMs } : {}),
    ...(d.EndMs !== undefined ? { endMs: d.EndMs } : {}),
  }));
  return { fragments, issues };
}

const RESULT_LINE = /^\[(\d+):(\d+(?:\.\d+)?),(\d+):(\d+(?:\.\d+)?)(?:,(\d+))?\]\s*(.*)$/;

/** "[0:1.640,0:4.220,1]  请问有什么可以帮您" -> a fragment (minutes:seconds, optional speaker). */
function fromResultText(result: string, base: string): { fragments: Fragment[]; issues: ParseIssue[] } {
  const fragments: Fragment[] = [];
  const issues: ParseIssue[] = [];
  result.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${base} line ${i + 1}`;
    const m = RESULT_LINE.exec(line.trim());
    if (!m) {
      issues.push({ where, message: 'skipped: expected "[m:ss.mmm,m:ss.mmm,speaker]  text"' });
      return;
    }
    const ms = (min?: string, sec?: string): number => Math.round((Number(min) * 60 + Number(sec)) * 1000);
    fragments.push({
      where,
      text: m[6] ?? '',
      startMs: ms(m[1], m[2]),
      endMs: ms(m[3], m[4]),
      ...(m[5] !== undefined ? { speaker: m[5] } : {}),
    });
  });
  return { fragments, issues };
}

function idOf(data: JsonObject, ctx: ParseContext): { id?: string } {
  const task = data.TaskId;
  return typeof task === 'number' || (typeof task === 'string' && task.trim())
    ? { id: `tencent-${String(task).trim()}-${ctx.hash}` }
    : {};
}
