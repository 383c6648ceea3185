import assert from 'node:assert/strict';
import {
  FORMATS,
  ParseFormatError,
  parseUpload,
  type ParseOptions,
} from '../../../../src/ingest/formats/index.js';
import { fixture } from './fixture.js';

function refusal(
  content: Buffer | string,
  options: ParseOptions,
): { where: string; message: string } | undefined {
  try {
    parseUpload(content, options);
  } catch (err) {
    if (err instanceof ParseFormatError) return err.issues[0];
    throw err;
  }
  return undefined;
}

describe('parseUpload', () => {
  it('refuses empty, binary and undecodable files, saying what was expected', () => {
    assert.deepEqual(refusal(Buffer.alloc(0), { filename: 'a.json' }), {
      where: 'a.json',
      message: 'the file is empty: expected a transcript or chat export',
    });
    assert.deepEqual(refusal(' \n\t', {}), {
      where: 'upload',
      message: 'the file is empty: expected a transcript or chat export',
    });
    const wav = Buffer.concat([
      Buffer.from('RIFF\u0024\u0000\u0000\u0000WAVEfmt ', 'latin1'),
      Buffer.alloc(32),
    ]);
    assert.match(
      refusal(wav, { filename: 'call.wav' })?.message ?? '',
      /^this looks like a WAV audio file: expected the transcript/,
    );
    assert.match(
      refusal(Buffer.from('PK\u0003\u0004xlsx', 'latin1'), { filename: 'c.xlsx' })?.message ?? '',
      /Excel/,
    );
    assert.match(refusal(Buffer.from([0x41, 0x00, 0x42]), {})?.message ?? '', /^this is a binary file/);
    assert.deepEqual(refusal(Buffer.from([0x7b, 0xff, 0x80, 0x7d]), { filename: 'x.json' }), {
      where: 'x.json',
      message: 'the file is neither UTF-8 nor GBK/GB18030 text: save it as UTF-8',
    });
  });

  it('refuses a file of no recognisable format, listing the formats', () => {
    assert.deepEqual(refusal('just some words', { filename: 'notes' }), {
      where: 'notes',
      message: `the format could not be recognised: expected one of ${FORMATS.join(', ')} (pass the format explicitly when detection fails)`,
    });
    assert.match(refusal('x', { format: 'docx' as never })?.message ?? '', /^unknown format "docx"/);
  });

  it('decodes UTF-16 with a byte-order mark (Excel "Unicode text")', () => {
    const text = '坐席：您好\n客户：我想办信用卡\n';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = parseUpload(bytes, {
      filename: 'u16.txt',
      defaults: { startedAt: '2026-11-01T09:00:00+08:00' },
    });
    assert.deepEqual(
      result.conversations[0]?.utterances.map((u) => u.text),
      ['您好', '我想办信用卡'],
    );
  });

  it('lets an explicit format override detection and applies the default channel and start time', () => {
    const text = '坐席：您好\n客户：我要投诉\n';
    const result = parseUpload(text, {
      filename: 'x.csv',
      format: 'text',
      defaults: { channel: 'chat', startedAt: '2026-11-01 10:00' },
    });
    assert.equal(result.format, 'text');
    assert.equal(result.conversations[0]?.channel, 'chat');
    assert.equal(result.conversations[0]?.startedAt, '2026-11-01T10:00:00+08:00');
  });

  it('refuses a bad default start time and a speaker mapped to no role', () => {
    assert.deepEqual(refusal('坐席：您好', { defaults: { startedAt: 'yesterday' } }), {
      where: 'startedAt',
      message: '"yesterday" is not a time: expected ISO 8601 such as 2026-11-01T10:00:00+08:00',
    });
    assert.deepEqual(refusal('坐席：您好', { speakers: { map: { '0': 'boss' as never } } }), {
      where: 'speakers',
      message: 'speaker "0" mapped to "boss": expected one of agent|customer|system',
    });
  });

  it('derives ids from the file stem without its directory and extension', () => {
    const result = parseUpload(fixture('whisperx.json'), {
      filename: 'exports/2026-11 回访 录音.json',
      defaults: { startedAt: '2026-11-01T09:00:00+08:00' },
    });
    assert.match(result.conversations[0]?.id ?? '', /^2026-11-回访-录音-[0-9a-f]{12}$/);
  });
});
