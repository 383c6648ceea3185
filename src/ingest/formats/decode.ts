import { ParseFormatError } from './types.js';

/** Files that are not transcripts but get uploaded by mistake, by their first bytes. */
const SIGNATURES: { test: (b: Buffer) => boolean; what: string }[] = [
  { test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF', what: 'a WAV audio file' },
  {
    test: (b) =>
      b.subarray(0, 3).toString('latin1') === 'ID3' || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
    what: 'an MP3 audio file',
  },
  { test: (b) => ['fLaC', 'OggS'].includes(b.subarray(0, 4).toString('latin1')), what: 'an audio file' },
  {
    test: (b) => b.subarray(0, 4).toString('latin1') === 'PK\u0003\u0004',
    what: 'a ZIP archive or an Excel/Word file',
  },
  { test: (b) => b.subarray(0, 4).toString('latin1') === '%PDF', what: 'a PDF document' },
  { test: (b) => b[0] === 0x1f && b[1] === 0x8b, what: 'a gzip archive' },
];

function unusable(name: string, message: string): ParseFormatError {
  return new ParseFormatError(`${name}: ${message}`, [{ where: name, message }]);
}

/**
 * Bytes -> text. UTF-8 (with or without BOM) first, UTF-16 when it has a BOM (Excel "Unicode
 * text"), then GB18030, a superset of GBK and GB2312 that Chinese Windows tools still export.
 * Audio, archives and other binary files are refused with a message that says what they look like.
 */
export function decodeUpload(content: Buffer | string, name: string): string {
  const text = typeof content === 'string' ? content.replace(/^\ufeff/, '') : decodeBytes(content, name);
  if (!text.trim()) throw unusable(name, 'the file is empty: expected a transcript or chat export');
  return text.replace(/\r\n?/g, '\n');
}

function decodeBytes(bytes: Buffer, name: string): string {
  if (bytes.length === 0) return '';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeAs('utf-16le', bytes, name);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeAs('utf-16be', bytes, name);
  const signature = SIGNATURES.find((s) => s.test(bytes));
  if (signature) {
    throw unusable(
      name,
      `this looks like ${signature.what}: expected the transcript or chat export as text (JSON, CSV, TXT, SRT, VTT)`,
    );
  }
  if (bytes.subarray(0, 4096).includes(0)) {
    throw unusable(
      name,
      'this is a binary file: expected the transcript or chat export as text (JSON, CSV, TXT, SRT, VTT)',
    );
  }
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch {
      // try the next encoding
    }
  }
  throw unusable(name, 'the file is neither UTF-8 nor GBK/GB18030 text: save it as UTF-8');
}

function decodeAs(encoding: string, bytes: Buffer, name: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw unusable(
      name,
      `the file starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}: save it as UTF-8`,
    );
  }
}
