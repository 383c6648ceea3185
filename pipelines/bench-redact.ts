/**
 * Throughput of the redaction stage on generated utterances, with and without personal numbers,
 * and how its time grows with the input on adversarial repetitions (linear: four times the input
 * about four times the time, never sixteen). The growth check was a unit test; as a wall-clock
 * measure it failed on loaded machines, so it is reported here.
 * Run: npm run bench:redact [-- utterances per set, default 100000]
 */
import { containsPii, redactText } from '../src/pipeline/redact/index.js';

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261101);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (n: number): string => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');

// Ordinary speech, with the Chinese digits and amounts that make the scanner look twice.
const PHRASES = [
  '您好很高兴为您服务',
  '我想问一下信用卡年费的事情',
  '嗯那个就是说',
  '你们的手续费太贵了',
  '我上个月还了5000元',
  '年化百分之二点八',
  '分12期还款',
  '两三天之内给您回复',
  '一万二千块',
  '2026年11月1日',
  '10点30分',
  '招行的大额存单利率比你们高',
  '我把钱都转到余额宝了',
  '稍等一下我帮您查询',
  '第三期已经扣款了',
  '尾号1234的卡',
];
const CN = '零一二三四五六七八九';
const speak = (s: string): string =>
  [...s].map((d) => (random() < 0.5 ? d : d === '1' && random() < 0.3 ? '幺' : CN[Number(d)]!)).join('');
const NUMBERS = [
  () => `我的手机号是1${pick([...'3456789'])}${digits(9)}`,
  () => `手机${speak(`13${digits(9)}`)}你记一下`,
  () => `卡号6222 ${digits(4)} ${digits(4)} ${digits(4)} ${digits(3)}`,
  () => `身份证号110105${1950 + Math.floor(random() * 60)}0307${digits(3)}X`,
  () => `电话138-${digits(4)}-${digits(4)}`,
];

function utterance(withNumber: boolean): string {
  const parts = Array.from({ length: 2 + Math.floor(random() * 4) }, () => pick(PHRASES));
  if (withNumber) parts.splice(Math.floor(random() * parts.length), 0, pick(NUMBERS)());
  return parts.join('');
}

function bench(name: string, texts: string[], run: (t: string) => unknown): void {
  for (const t of texts.slice(0, 2000)) run(t); // warm-up
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const start = process.hrtime.bigint();
  for (const t of texts) run(t);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = Math.round(texts.length / seconds).toLocaleString('en-US');
  const mChars = (chars / seconds / 1e6).toFixed(1);
  console.log(`${name.padEnd(36)} ${perSecond.padStart(10)} utterances/s  ${mChars.padStart(6)} M chars/s`);
}

const n = Number(process.argv[2] ?? 100_000);
const plain = Array.from({ length: n }, () => utterance(false));
const withNumbers = Array.from({ length: n }, () => utterance(true));
const avg = (texts: string[]): number => Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length);
console.log(`${n} utterances per set, ${avg(plain)} / ${avg(withNumbers)} characters on average`);
bench('redactText, no numbers', plain, redactText);
bench('redactText, one number each', withNumbers, redactText);
bench('containsPii, no numbers', plain, containsPii);
bench('containsPii, one number each', withNumbers, containsPii);
const missed = withNumbers.filter((t) => redactText(t).found.length === 0).length;
console.log(`utterances with a number where nothing was found: ${missed}`);

/** Best of seven runs, in milliseconds: a loaded machine inflates some runs, rarely all. */
function fastest(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    redactText(text);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

console.log('\ngrowth on repeated units (2,000 -> 8,000 repetitions; linear is about 4x, quadratic 16x):');
let worst = 0;
for (const unit of ['1 ', '* ', '12 嗯 ', '一', '*1 ', '13812345678 ']) {
  const small = fastest(unit.repeat(2000));
  const large = fastest(unit.repeat(8000));
  const ratio = large / Math.max(small, 0.01);
  worst = Math.max(worst, ratio);
  console.log(
    `${JSON.stringify(unit).padEnd(16)} ${small.toFixed(2).padStart(8)} ms -> ${large.toFixed(2).padStart(8)} ms  x${ratio.toFixed(1)}`,
  );
}
if (worst >= 10)
  console.log(`growth up to x${worst.toFixed(1)}: rerun on an idle machine before calling it quadratic`);
