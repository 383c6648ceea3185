import { isUtf8 } from 'node:buffer';
import { InvalidEncodingError, UnsupportedCharsetError } from '../errors.js';

/**
 * Charsets a JSON or NDJSON body may declare. Chinese Windows tools still write GBK; GB18030 is its
 * superset (and GB2312's), so all three decode as GB18030. Anything else is refused rather than guessed.
 */
const DECODERS: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  gbk: 'gb18030',
  gb2312: 'gb18030',
  gb18030: 'gb18030',
  // Excel's "Unicode text" exports, sent as text/plain or text/csv.
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};
export const ACCEPTED_CHARSETS = Object.keys(DECODERS);

/** The charset parameter of a Content-Type header, lower-cased; undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/** Refuses (415) a declared charset that decodeBody would not decode, before the body is read. */
export function assertCharset(contentType: string | undefined): void {
  const charset = charsetOf(contentType) ?? 'utf-8';
  if (!DECODERS[charset]) throw new UnsupportedCharsetError(charset, ACCEPTED_CHARSETS);
}

/**
 * Bytes of a request body -> text, in the charset the Content-Type declares (UTF-8 when none).
 * Never substitutes U+FFFD: invalid bytes are refused with their offset, so nothing is stored as mojibake.
 */
export function decodeBody(bytes: Buffer, contentType: string | undefined): string {
  const charset = charsetOf(contentType) ?? 'utf-8';
  const decoder = DECODERS[charset];
  if (!decoder) throw new UnsupportedCharsetError(charset, ACCEPTED_CHARSETS);
  if (decoder === 'utf-8') {
    if (!isUtf8(bytes)) {
      const at = firstInvalidUtf8(bytes);
      const shown = [...bytes.subarray(at, at + 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new InvalidEncodingError(
        `Request body is not valid UTF-8 at byte ${at}: re-encode it as UTF-8, or declare its encoding (e.g. "Content-Type: application/json; charset=gbk")`,
        [{ where: `byte ${at}`, message: `invalid UTF-8 sequence starting with bytes ${shown}` }],
      );
    }
    return bytes.toString('utf8').replace(/^\ufeff/, '');
  }
  try {
    return new TextDecoder(decoder, { fatal: true }).decode(bytes);
  } catch {
    throw new InvalidEncodingError(`Request body is not valid ${charset.toUpperCase()}`, [
      {
        where: 'body',
        message: `declared charset=${charset}, but the bytes are not ${decoder.toUpperCase()}`,
      },
    ]);
  }
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (RFC 3629); -1 when all are valid. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}
