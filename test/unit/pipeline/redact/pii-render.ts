/** Renders a generated number the way a customer types it or ASR writes it, and reads digits back. */
import {
  DIGIT_FORMS,
  GAPS,
  OTHER_DIGIT_FORMS,
  STYLES,
  type Pii,
  type RenderOptions,
  type Rendering,
} from './pii-arbitraries.js';

function standardGroups(pii: Pii): number[] {
  const n = pii.digits.length;
  if (pii.kind === 'phone') return [3, 4, 4];
  if (pii.kind === 'id_card') return n === 18 ? [6, 8, 4] : [6, 6, 3];
  const groups = Array<number>(Math.floor(n / 4)).fill(4);
  if (n % 4) groups.push(n % 4);
  return groups;
}

function groupSizes(pii: Pii, o: RenderOptions, pick: () => number): number[] {
  const n = pii.digits.length;
  if (o.grouping === 'none') return [n];
  if (o.grouping === 'standard') return standardGroups(pii);
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = Math.min(left, 1 + (pick() % 6));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

function writeDigit(d: string, o: RenderOptions, pick: () => number): string {
  if (d === 'X') return o.xForm;
  const forms = DIGIT_FORMS[d]!;
  const other = OTHER_DIGIT_FORMS[d]!;
  const style = o.style === 'mixed' ? STYLES[pick() % STYLES.length]! : o.style;
  switch (style) {
    case 'ascii':
      return d;
    case 'fullwidth':
      return forms.full;
    case 'circled':
      return other.circled;
    case 'arabic-indic':
      return other.arabicIndic;
    case 'math-bold':
      return other.mathBold;
    case 'english':
      return other.english;
    case 'pinyin':
      return other.pinyin[pick() % other.pinyin.length]!;
    default: {
      const choices = style === 'chinese' ? forms.chinese : forms.financial;
      return choices[pick() % choices.length]!;
    }
  }
}

const LETTER = /[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùü]/;

/** Appends a written digit; spelled digits (san, eight) are words, so two in a row get a space. */
function append(text: string, written: string): string {
  return LETTER.test(text.slice(-1)) && LETTER.test(written[0]!) ? `${text} ` : text;
}

/** Writes `pii` in the form `o` describes; for phones, with the country-code prefix of `o`. */
export function render(pii: Pii, o: RenderOptions): Rendering {
  let p = 0;
  const pick = (): number => o.picks[p++ % o.picks.length]!;
  const sameGap = GAPS[pick() % GAPS.length]!;
  let text = '';
  if (pii.kind === 'phone' && o.phonePrefix) {
    for (const ch of o.phonePrefix) {
      const written = /[0-9]/.test(ch) && o.style !== 'ascii' ? writeDigit(ch, o, pick) : ch;
      text = append(text, written) + written;
    }
  }
  const digitSpans: [number, number][] = [];
  let at = 0;
  groupSizes(pii, o, pick).forEach((size, g) => {
    if (g > 0) text += o.gapMode === 'same' ? sameGap : GAPS[pick() % GAPS.length]!;
    for (const d of pii.digits.slice(at, at + size)) {
      const written = writeDigit(d, o, pick);
      text = append(text, written);
      digitSpans.push([text.length, text.length + written.length]);
      text += written;
    }
    at += size;
  });
  return { text, digitSpans };
}

const READ_BACK = new Map<string, string>();
for (const [d, f] of Object.entries(DIGIT_FORMS)) {
  for (const ch of [d, f.full, ...f.chinese, ...f.financial]) READ_BACK.set(ch, d);
}
for (const [ch, d] of [
  ['○', '0'],
  ['兩', '2'],
  ['叄', '3'],
  ['貮', '2'],
  ['X', 'X'],
  ['x', 'X'],
  ['叉', 'X'],
] as const) {
  READ_BACK.set(ch, d);
}

const WORDS = new Map<string, string>();
for (const [d, f] of Object.entries(OTHER_DIGIT_FORMS)) {
  for (const ch of [f.circled, f.arabicIndic, f.mathBold]) READ_BACK.set(ch, d);
  for (const w of [...f.pinyin, f.english]) WORDS.set(w.toLowerCase(), d);
}
const WORD = /[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùü]+/g;

/** Every digit the text still shows, in any of the forms above read as Arabic digits, X as X. */
export function readDigits(text: string): string {
  return text
    .replace(/艾克斯/g, 'X')
    .replace(WORD, (w) => (w === 'X' || w === 'x' ? w : (WORDS.get(w.toLowerCase()) ?? '')))
    .replace(/./gu, (ch) => READ_BACK.get(ch) ?? '');
}
