import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  FORMATS,
  ParseFormatError,
  parseUpload,
  validateNativeConversation,
  type FormatId,
  type ParseOptions,
  type ParseResult,
} from '../../../../src/ingest/formats/index.js';

const format = fc.option(fc.constantFrom<FormatId>(...FORMATS), { nil: undefined });
const filename = fc.option(
  fc.constantFrom('a.json', 'b.ndjson', 'c.txt', 'd.vtt', 'e.srt', 'f.csv', 'g', '通话.jsonl'),
  { nil: undefined },
);
const options: fc.Arbitrary<ParseOptions> = fc.record(
  {
    format,
    filename,
    speakers: fc.record(
      { firstSpeaker: fc.constantFrom<'agent' | 'customer'>('agent', 'customer') },
      { requiredKeys: [] },
    ),
    defaults: fc.record(
      {
        startedAt: fc.constant('2026-11-01T10:00:00+08:00'),
        channel: fc.constantFrom<'call' | 'chat'>('call', 'chat'),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** Lines that look like transcripts, subtitles and CSV, to reach past the first checks. */
const piece = fc.constantFrom(
  '坐席：',
  '客户:',
  '[00:01:02] ',
  '00:00:01,000 --> 00:00:02,000',
  'WEBVTT',
  '===',
  '# id: ',
  '# startedAt: ',
  '<v 客户>',
  '会话ID,时间,发送方,内容',
  ',',
  '"',
  '1',
  '\n',
  '\n\n',
  '说话人1：',
  '2026-11-01 10:00:00',
);
const textish = fc
  .array(fc.oneof(piece, fc.string({ maxLength: 8 })), { maxLength: 30 })
  .map((parts) => parts.join(''));

/** Vendor-shaped JSON with arbitrary leaves. */
const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 1 }),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('0', '1', 'spk_0', '4.87', '-1', ''),
);
const vendorish = fc
  .oneof(
    fc
      .array(
        fc.record({ Text: leaf, ChannelId: leaf, BeginTime: leaf, SpeakerId: leaf }, { requiredKeys: [] }),
        { maxLength: 5 },
      )
      .map((Sentences) => ({ TaskId: 't', Result: { Sentences } })),
    fc
      .array(fc.record({ FinalSentence: leaf, SpeakerId: leaf, StartMs: leaf }, { requiredKeys: [] }), {
        maxLength: 5,
      })
      .map((ResultDetail) => ({ Response: { Data: { ResultDetail, Result: 'x' } } })),
    fc
      .array(
        fc.record({
          json_1best: fc.oneof(leaf, fc.constant('{"st":{"rl":"1","rt":[{"ws":[{"cw":[{"w":"好"}]}]}]}}')),
        }),
        { maxLength: 5 },
      )
      .map((lattice) => ({ content: { orderResult: JSON.stringify({ lattice }) } })),
    fc
      .array(
        fc.record(
          {
            type: leaf,
            start_time: leaf,
            speaker_label: leaf,
            alternatives: fc.oneof(leaf, fc.constant([{ content: '好' }])),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      )
      .map((items) => ({ jobName: 'j', results: { items } })),
    fc
      .array(fc.record({ start: leaf, end: leaf, text: leaf, speaker: leaf }, { requiredKeys: [] }), {
        maxLength: 5,
      })
      .map((segments) => ({ segments })),
    fc.array(fc.record({ sessionId: leaf, time: leaf, sender: leaf, content: leaf }, { requiredKeys: [] }), {
      maxLength: 5,
    }),
    fc.array(
      fc.record(
        {
          id: leaf,
          channel: leaf,
          startedAt: leaf,
          utterances: fc.array(fc.record({ speaker: leaf, text: leaf })),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    fc.jsonValue({ maxDepth: 4 }),
  )
  .map((value) => JSON.stringify(value));

/** Mostly well-formed files with arbitrary text, so that conversations do come out and get checked. */
const words = fc.string({ maxLength: 12 });
const voice = fc.constantFrom(0, 1, '0', '1', 'spk_0', 'SPEAKER_01');
const ms = fc.oneof(fc.nat(100000), fc.constant(undefined));
const plausible = fc.oneof(
  fc
    .array(fc.tuple(fc.constantFrom('坐席：', '客户:', '[00:00:01] 客服：', '用户：', '', '===\n'), words), {
      minLength: 1,
      maxLength: 8,
    })
    .map((ls) => ls.map(([p, t]) => p + t).join('\n')),
  fc
    .array(fc.record({ Text: words, ChannelId: voice, BeginTime: ms, EndTime: ms }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((Sentences) => JSON.stringify({ Result: { Sentences } })),
  fc
    .array(fc.record({ FinalSentence: words, SpeakerId: voice, StartMs: ms, EndMs: ms }), {
      minLength: 1,
      maxLength: 6,
    })
    .map((ResultDetail) => JSON.stringify({ Data: { TaskId: 1, ResultDetail } })),
  fc
    .array(
      fc.record({
        text: words,
        speaker: voice,
        start: fc.double({ min: 0, max: 1e4, noNaN: true }),
        end: fc.double({ min: 0, max: 1e4, noNaN: true }),
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((segments) => JSON.stringify({ segments })),
  fc
    .array(
      fc.record({
        sessionId: fc.constantFrom('S1', 'S2'),
        time: fc.constantFrom('2026-11-01 10:00:00', '2026-11-01T10:00:01+08:00', 1794016800),
        sender: fc.constantFrom('客户', '客服', 'bot'),
        content: words,
      }),
      { minLength: 1, maxLength: 6 },
    )
    .map((m) => JSON.stringify(m)),
  fc
    .array(fc.tuple(fc.constantFrom('客户', '客服'), words), { minLength: 1, maxLength: 6 })
    .map((rows) =>
      ['会话ID,发送方,内容', ...rows.map(([r, t]) => `S1,${r},"${t.replace(/"/g, '""')}"`)].join('\n'),
    ),
);

const content = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  textish,
  vendorish,
);

/** The property: a ParseResult whose conversations are valid native ones, or a ParseFormatError. */
function parsesOrRefuses(input: Buffer | string, opts: ParseOptions): ParseResult | undefined {
  try {
    const result = parseUpload(input, opts);
    assert.ok(FORMATS.includes(result.format));
    for (const conversation of result.conversations) {
      assert.deepEqual(
        validateNativeConversation(conversation, '$').issues,
        [],
        JSON.stringify(conversation),
      );
    }
    for (const issue of result.issues) assert.ok(issue.where && issue.message);
    return result;
  } catch (err) {
    if (!(err instanceof ParseFormatError)) throw err;
    assert.ok(err.issues.length > 0 && err.issues.every((i) => i.where && i.message));
    return undefined;
  }
}

describe('parseUpload on arbitrary input (property)', () => {
  it('returns valid native conversations or throws ParseFormatError, nothing else', () => {
    fc.assert(
      fc.property(content, options, (input, opts) => void parsesOrRefuses(input, opts)),
      { numRuns: 1500 },
    );
  });

  it('does the same for well-formed files with arbitrary text, most of which yield conversations', () => {
    let yielded = 0;
    const runs = 500;
    fc.assert(
      fc.property(plausible, (input) => {
        const result = parsesOrRefuses(input, { defaults: { startedAt: '2026-11-01T10:00:00+08:00' } });
        if (result && result.conversations.length > 0) yielded += 1;
      }),
      { numRuns: runs },
    );
    assert.ok(yielded > runs / 2, `only ${yielded} of ${runs} well-formed files yielded a conversation`);
  });
});
