import { z } from 'zod';
import { isObject, maybeJsonString, parseJsonFile, wrongShape, type JsonObject } from './json-input.js';
import { joinWords } from './text-utils.js';
import type { Fragment } from './utterance-builder.js';
import { finishCall, msField, speakerId } from './vendor-common.js';
import { ParseFormatError, type FormatOutput, type ParseContext, type ParseIssue } from './types.js';
import { describeValue, validateEach, zodIssues } from './zod-issues.js';

/*
 * iFlytek recording transcription (录音文件转写, lfasr), the getResult response:
 *   { "code": "000000", "content": { "orderInfo": { "orderId": "DKHJQ…", "status": 4 },
 *     "orderResult": "{\"lattice\":[{\"json_1best\":\"{\\\"st\\\":{\\\"bg\\\":\\\"820\\\",\\\"ed\\\":\\\"1560\\\",
 *        \\\"rl\\\":\\\"1\\\",\\\"rt\\\":[{\\\"ws\\\":[{\\\"cw\\\":[{\\\"w\\\":\\\"您好\\\"}]}]}]}}\"}]}" } }
 * orderResult and each json_1best are JSON strings; the words of st.rt[].ws[].cw[0].w make the
 * sentence; st.rl is the role (1, 2, … with role separation on; 0 without). Also accepted: the
 * content object, orderResult alone (string or object), lattice2 when lattice is absent, and the
 * older v1 API result { "data": "[{\"bg\",\"ed\",\"onebest\",\"speaker\"}]" }.
 */

const EXPECTED =
  'an iFlytek lfasr result: { "content": { "orderInfo": { "orderId" }, "orderResult": "{\\"lattice\\":[{\\"json_1best\\":…}]}" } }';
const HINT = 'enable role separation (roleType) in the lfasr upload request so sentences carry st.rl';

const word = z.object({ w: z.string() });
const best = z.object({
  st: z.object({
    bg: msField.optional(),
    ed: msField.optional(),
    rl: speakerId.optional(),
    rt: z.array(z.object({ ws: z.array(z.object({ cw: z.array(word) })) })),
  }),
});
const v1Sentence = z.object({
  onebest: z.string(),
  bg: msField.optional(),
  ed: msField.optional(),
  speaker: speakerId.optional(),
});

export function parseIflytek(text: string, ctx: ParseContext): FormatOutput {
  const root = parseJsonFile(text, ctx, EXPECTED);
  if (!isObject(root)) throw wrongShape(ctx, `${ctx.name} $`, EXPECTED, describeValue(root));
  if (typeof root.data === 'string' || Array.isArray(root.data)) return parseV1(root, ctx);
  const content = isObject(root.content) ? root.content : root;
  const base = content === root ? '$' : '$.content';
  const orderInfo = isObject(content.orderInfo) ? content.orderInfo : {};
  if (orderInfo.status === -1) {
    throw new ParseFormatError(`${ctx.name}: the transcription failed`, [
      {
        where: `${ctx.name} ${base}.orderInfo.status`,
        message: `the order failed (failType ${String(orderInfo.failType)}): expected status 4 (done)`,
      },
    ]);
  }
  const parsed =
    content.orderResult !== undefined ? maybeJsonString(content.orderResult) : { value: content };
  const order = parsed.value;
  const orderPath = content.orderResult !== undefined ? `${base}.orderResult` : base;
  const lattice = isObject(order)
    ? Array.isArray(order.lattice)
      ? order.lattice
      : order.lattice2
    : undefined;
  const which = isObject(order) && Array.isArray(order.lattice) ? 'lattice' : 'lattice2';
  if (!Array.isArray(lattice)) {
    throw wrongShape(
      ctx,
      `${ctx.name} ${orderPath}`,
      EXPECTED,
      parsed.error ? `unparseable JSON text (${parsed.error})` : describeValue(order),
    );
  }
  const issues: ParseIssue[] = [];
  const fragments: Fragment[] = [];
  lattice.forEach((entry, i) => {
    const where = `${ctx.name} ${orderPath}.${which}[${i}].json_1best`;
    const raw = maybeJsonString(isObject(entry) ? entry.json_1best : undefined);
    const result = best.safeParse(raw.value);
    if (!result.success) {
      issues.push(
        ...(raw.error
          ? [{ where, message: `not valid JSON (${raw.error}): expected {"st":{…}}` }]
          : zodIssues(result.error, raw.value, where)),
      );
      return;
    }
    const { st } = result.data;
    const words = st.rt.flatMap((rt) => rt.ws.map((ws) => ws.cw[0]?.w ?? ''));
    fragments.push({
      where,
      text: words.reduce(joinWords, ''),
      ...(st.rl !== undefined && st.rl !== '0' ? { speaker: st.rl } : {}),
      ...(st.bg !== undefined ? { startMs: st.bg } : {}),
      ...(st.ed !== undefined ? { endMs: st.ed } : {}),
    });
  });
  return finishCall({ where: ctx.name, ...idOf(orderInfo.orderId), fragments }, issues, ctx, HINT);
}

function parseV1(root: JsonObject, ctx: ParseContext): FormatOutput {
  const parsed = maybeJsonString(root.data);
  if (!Array.isArray(parsed.value)) {
    throw wrongShape(
      ctx,
      `${ctx.name} $.data`,
      'a JSON array of { "bg", "ed", "onebest", "speaker" }',
      parsed.error ? `unparseable JSON text (${parsed.error})` : describeValue(parsed.value),
    );
  }
  const { valid, issues } = validateEach(parsed.value, v1Sentence, (i) => `${ctx.name} $.data[${i}]`);
  const fragments: Fragment[] = valid.map(({ value: s, where }) => ({
    where,
    text: s.onebest,
    ...(s.speaker !== undefined && s.speaker !== '0' ? { speaker: s.speaker } : {}),
    ...(s.bg !== undefined ? { startMs: s.bg } : {}),
    ...(s.ed !== undefined ? { endMs: s.ed } : {}),
  }));
  return finishCall({ where: ctx.name, fragments }, issues, ctx, HINT);
}

function idOf(orderId: unknown): { id?: string } {
  return typeof orderId === 'string' && orderId.trim() ? { id: orderId.trim() } : {};
}
