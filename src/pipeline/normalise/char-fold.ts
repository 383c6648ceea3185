import { ConverterFactory } from 'opencc-js/core';
import * as Locale from 'opencc-js/preset';
import HKVariantsRev from 'opencc-js/dict/HKVariantsRev';
import TSCharacters from 'opencc-js/dict/TSCharacters';
import TWVariantsRev from 'opencc-js/dict/TWVariantsRev';

/**
 * Character folding, one UTF-16 unit in, one out, so offsets never move: full-width -> half-width,
 * ideographic space -> space, A-Z -> a-z, Traditional -> Simplified (OpenCC's character tables,
 * with HK and TW variants). Texts that contain a Traditional character first go through OpenCC's
 * Taiwan phrase converter, whose output is used when it keeps the length (almost always).
 */
const FOLD = new Uint16Array(0x10000);
const TRADITIONAL = new Uint8Array(0x10000);

function parseDict(dict: string): [string, string][] {
  return dict.split('|').map((entry) => {
    const [from = '', to = ''] = entry.split(' ');
    return [from, to];
  });
}

function buildTables(): void {
  for (let c = 0; c < 0x10000; c++) FOLD[c] = c;
  for (let c = 0xff01; c <= 0xff5e; c++) FOLD[c] = c - 0xfee0;
  FOLD[0x3000] = 0x20;
  // 帐 is the Traditional-era variant of 账 (account) that OpenCC keeps: fold it for matching
  FOLD[0x5e10] = 0x8d26;
  for (let c = 0x41; c <= 0x5a; c++) FOLD[c] = c + 0x20;
  for (let c = 0xff21; c <= 0xff3a; c++) FOLD[c] = c - 0xfee0 + 0x20;
  const ts = new Map<string, string>();
  for (const [from, to] of parseDict(TSCharacters))
    if (from.length === 1 && to.length === 1) ts.set(from, to);
  const simplified = new Set(ts.values());
  const variants = [...parseDict(HKVariantsRev), ...parseDict(TWVariantsRev)];
  for (const [from, to] of variants) {
    // 么 -> 幺 is right for Taiwan text but 么 is also the Simplified character: leave those alone
    if (from.length !== 1 || to.length !== 1 || simplified.has(from)) continue;
    if (!ts.has(from)) ts.set(from, ts.get(to) ?? to);
  }
  for (const [from, to] of ts) {
    const f = from.charCodeAt(0);
    if (f === to.charCodeAt(0)) continue;
    FOLD[f] = to.charCodeAt(0);
    TRADITIONAL[f] = 1;
  }
}
buildTables();

let phraseConverter: ((text: string) => string) | undefined;
function convertPhrases(text: string): string {
  // Taiwan phrases (軟體 -> 軟件, 網路 -> 網絡) then the character table; OpenCC's full hk/tw -> cn
  // chain is ten times slower for no gain in matching (it mostly settles 乾/干-style ambiguities)
  phraseConverter ??= ConverterFactory(Locale.from.twp ?? []);
  return phraseConverter(text);
}

/** Fold one UTF-16 code unit (exported for the query path and tests). */
export function foldCode(code: number): number {
  return FOLD[code] ?? code;
}

let scratch = new Uint16Array(1024);

/** Fold a whole text; the result has exactly the same length as the input. */
export function foldText(text: string): string {
  const n = text.length;
  let first = -1;
  let traditional = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (FOLD[c] !== c) {
      if (first < 0) first = i;
      if (TRADITIONAL[c] === 1) {
        traditional = true;
        break;
      }
    }
  }
  if (first < 0) return text;
  // one scratch buffer, reused (the pipeline is synchronous): a typed array of more than 32
  // characters is allocated outside the heap, and most utterances fold something (，？！)
  if (scratch.length < n) scratch = new Uint16Array(Math.max(n, scratch.length * 2));
  const codes = scratch;
  for (let i = 0; i < n; i++) codes[i] = FOLD[text.charCodeAt(i)] as number;
  if (traditional) {
    const converted = convertPhrases(text);
    if (converted.length === n) {
      // phrase conversion only decides characters that are Traditional themselves
      for (let i = 0; i < n; i++) {
        if (TRADITIONAL[text.charCodeAt(i)] === 1)
          codes[i] = FOLD[FOLD[converted.charCodeAt(i)] as number] as number;
      }
    }
  }
  return codesToString(codes, n);
}

/** String from UTF-16 codes without spreading huge arrays. */
export function codesToString(codes: Uint16Array, length: number): string {
  if (length <= 4096)
    return String.fromCharCode.apply(null, codes.subarray(0, length) as unknown as number[]);
  let out = '';
  for (let i = 0; i < length; i += 4096) {
    out += String.fromCharCode.apply(
      null,
      codes.subarray(i, Math.min(length, i + 4096)) as unknown as number[],
    );
  }
  return out;
}
