/**
 * Test-side detection of personal numbers in any text: maps full-width and spoken Chinese digits to
 * ASCII and drops separators between digits, then looks for the known numbers. Deliberately
 * independent of the redaction code under test.
 */
const DIGIT_WORDS: Record<string, string> = {
  零: '0',
  〇: '0',
  洞: '0',
  一: '1',
  幺: '1',
  壹: '1',
  二: '2',
  两: '2',
  贰: '2',
  貳: '2',
  三: '3',
  叁: '3',
  參: '3',
  四: '4',
  肆: '4',
  五: '5',
  伍: '5',
  六: '6',
  陆: '6',
  陸: '6',
  七: '7',
  拐: '7',
  柒: '7',
  八: '8',
  捌: '8',
  九: '9',
  勾: '9',
  玖: '9',
};

/** First code point of each run of ten digits 0-9 besides ASCII: full-width, Arabic-Indic, math bold. */
const DIGIT_RUNS = [0xff10, 0x0660, 0x06f0, 0x1d7ce];

export function digitsView(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const run = DIGIT_RUNS.find((first) => code >= first && code < first + 10);
    if (run !== undefined) out += String(code - run);
    else if (code >= 0x2460 && code <= 0x2468) out += String(code - 0x2460 + 1);
    else if (ch === '⓪') out += '0';
    else if (DIGIT_WORDS[ch]) out += DIGIT_WORDS[ch];
    else if (/[\s\-.,，、_~～：\u200b]/.test(ch)) continue;
    else out += ch;
  }
  return out;
}

/** The numbers (of `numbers`) that occur in clear text in `haystack`. */
export function leakedNumbers(haystack: string, numbers: string[]): string[] {
  const view = digitsView(haystack);
  return numbers.filter((n) => view.includes(n) || haystack.includes(n));
}

/** Renders a digit string as customers and ASR write it. */
export const renderings = {
  plain: (n: string) => n,
  spaced: (n: string) => n.replace(/(\d{3})(\d{4})(\d+)/, '$1 $2 $3'),
  dashed: (n: string) => n.replace(/(\d{4})(?=\d)/g, '$1-'),
  fullWidth: (n: string) => [...n].map((d) => String.fromCharCode(d.charCodeAt(0) + 0xff10 - 48)).join(''),
  chinese: (n: string) => [...n].map((d) => '零一二三四五六七八九'[Number(d)] ?? d).join(''),
  spoken: (n: string) => [...n].map((d) => '洞幺两三四五六拐八勾'[Number(d)] ?? d).join(''),
  newlines: (n: string) => n.replace(/(\d{3})(\d{4})(\d+)/, '$1\n$2\n$3'),
  zeroWidth: (n: string) => n.replace(/(\d{3})(\d{4})(\d+)/, '$1\u200b$2\u200b$3'),
  tilde: (n: string) => n.replace(/(\d{3})(\d{4})(\d+)/, '$1~$2~$3'),
  fullWidthColon: (n: string) => n.replace(/(\d{3})(\d{4})(\d+)/, '$1：$2：$3'),
  circled: (n: string) => [...n].map((d) => '⓪①②③④⑤⑥⑦⑧⑨'[Number(d)] ?? d).join(''),
  arabicIndic: (n: string) => [...n].map((d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)] ?? d).join(''),
  mathBold: (n: string) => [...n].map((d) => String.fromCodePoint(0x1d7ce + Number(d))).join(''),
};
