/** Character classes as a lookup table: the normaliser tests them per character, regexes are too slow. */
export const CJK = 1;
export const BREAK = 2;
export const FILLER = 4;
export const NUMERAL = 8;
export const STUTTER_TWICE = 16;
export const DOUBLE_OK = 32;
export const DIGIT_WORD = 64;

export const CLASSES = new Uint8Array(0x10000);

function mark(chars: string, flag: number): void {
  for (const ch of chars) CLASSES[ch.charCodeAt(0)] = (CLASSES[ch.charCodeAt(0)] ?? 0) | flag;
}

for (let c = 0x3400; c <= 0x9fff; c++) CLASSES[c] = CJK;
for (let c = 0; c <= 0x20; c++) CLASSES[c] = BREAK;
mark(',.!?;:，。！？；：、…~～()（）"“”\'‘’\u3000', BREAK);
// 嗯呃唔呣 are always fillers; 额 那(个) 就(是) only in some positions
mark('嗯呃唔呣额那就', FILLER);
mark('零〇一幺二两三四五六七八九十百千万亿', NUMERAL);
mark('零〇一幺二两三四五六七八九', DIGIT_WORD);
// said twice by accident (我我想); other characters are doubled on purpose (谢谢, 看看)
mark('我你他她就这那是在要想的呃啊', STUTTER_TWICE);
mark('谢哈呵嘻看试问等刚常天慢宝妈爸哥姐弟妹爷奶星明渐偷悄乖好快多早点块个年月次人家处样步说', DOUBLE_OK);

export function is(code: number, flag: number): boolean {
  return ((CLASSES[code] ?? 0) & flag) !== 0;
}
