/** Renders a generated number the way a customer types it or ASR writes it, and reads digits back. */
import { DIGIT_FORMS, GAPS, type Pii, type RenderOptions, type Rendering } from './pii-arbitraries.js';

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
  const style =
    o.style === 'mixed' ? (['ascii', 'fullwidth', 'chinese', 'financial'] as const)[pick() % 4]! : o.style;
  if (style === 'ascii') return d;
  if (style === 'fullwidth') return forms.full;
  const choices = style === 'chinese' ? forms.chinese : forms.financial;
  return choices[pick() % choices.length]!;
}

/** Writes `pii` in the form `o` describes; for phones, with the country-code prefix of `o`. */
export function render(pii: Pii, o: RenderOptions): Rendering {
  let p = 0;
  const pick = (): number => o.picks[p++ % o.picks.length]!;
  const sameGap = GAPS[pick() % GAPS.length]!;
  let text = '';
  if (pii.kind === 'phone' && o.phonePrefix) {
    text = o.phonePrefix.replace(/[0-9]/g, (d) => (o.style === 'ascii' ? d : writeDigit(d, o, pick)));
  }
  const digitSpans: [number, number][] = [];
  let at = 0;
  groupSizes(pii, o, pick).forEach((size, g) => {
    if (g > 0) text += o.gapMode === 'same' ? sameGap : GAPS[pick() % GAPS.length]!;
    for (const d of pii.digits.slice(at, at + size)) {
      const written = writeDigit(d, o, pick);
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

/** Every digit the text still shows, Chinese and full-width forms read as Arabic digits, X as X. */
export function readDigits(text: string): string {
  return text.replace(/艾克斯/g, 'X').replace(/./gu, (ch) => READ_BACK.get(ch) ?? '');
}
