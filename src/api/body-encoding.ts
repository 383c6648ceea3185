/** Request body charsets: the decoding lives in ingest/ (large bodies are decoded in the parse worker). */
export {
  ACCEPTED_CHARSETS,
  assertCharset,
  charsetOf,
  decodeBody,
  firstInvalidUtf8,
} from '../ingest/body-encoding.js';
