/**
 * Turns clean phrase text into what the channel really delivers: ASR transcripts for calls (no
 * punctuation, fillers, stutters, homophone errors such as 招航 for 招行) and typed chat lines
 * (full-width punctuation, question marks). Traditional characters for customers from Hong Kong or
 * Taiwan come from OpenCC, loaded only when such a customer first appears (it takes ~0.5 s).
 */
import { Converter } from 'opencc-js/cn2t';
import type { Rng } from './prng.js';

export type Script = 'simplified' | 'tw' | 'hk';

const FILLERS = ['嗯', '那个', '就是', '呃', '然后', '嗯嗯'];
const CLAUSE_BREAK = /[,，。!！?？;；]+/;

/** Errors a Mandarin ASR model makes on bank names and products. */
const HOMOPHONES: Readonly<Record<string, readonly string[]>> = {
  招行: ['招航'],
  建行: ['见行', '建航'],
  交行: ['交航'],
  工行: ['公行'],
  浦发: ['普发'],
  中信: ['忠信'],
  花呗: ['花被', '花贝'],
  借呗: ['借被'],
  余额宝: ['余额包'],
  微粒贷: ['微利贷'],
  光大: ['广大'],
  分期: ['分七'],
};
const HOMOPHONE_SOURCE = Object.keys(HOMOPHONES).join('|');
const HAS_HOMOPHONE = new RegExp(HOMOPHONE_SOURCE);
const HOMOPHONE_ALL = new RegExp(HOMOPHONE_SOURCE, 'g');

export interface CallStyle {
  /** Some vendors separate segments with a space, most run them together. */
  joiner: '' | ' ';
  fillerRate: number;
  homophoneRate: number;
}

export function callStyle(text: string, rng: Rng, style: CallStyle, speaker: 'agent' | 'customer'): string {
  const clauses = text.split(CLAUSE_BREAK);
  let out = '';
  const fillerRate = speaker === 'customer' ? style.fillerRate : style.fillerRate / 4;
  for (const raw of clauses) {
    if (raw.length === 0) continue;
    let clause = raw;
    // Agents open their turn cleanly (scripted), hesitate later if at all.
    if ((speaker === 'customer' || out.length > 0) && rng.chance(fillerRate))
      clause = rng.pick(FILLERS) + clause;
    // A stutter: the first character said twice, as ASR keeps it.
    else if (speaker === 'customer' && rng.chance(0.06)) clause = clause.charAt(0) + clause;
    out += out.length === 0 ? clause : style.joiner + clause;
  }
  if (style.homophoneRate > 0 && HAS_HOMOPHONE.test(out)) {
    out = out.replace(HOMOPHONE_ALL, (m) =>
      rng.chance(style.homophoneRate) ? rng.pick(HOMOPHONES[m] ?? [m]) : m,
    );
  }
  return out;
}

const QUESTION_END = /(吗|么|呢|多少|哪天|几号|哪里|什么|怎么\S{0,6}|是不是|没有|能不能\S*)$/;

/** Typed chat: mostly full-width punctuation, sometimes none at the end, question marks. */
export function chatStyle(text: string, rng: Rng, fullWidth: boolean): string {
  let out = fullWidth ? text.replace(/,/g, '，') : text;
  const last = out.charAt(out.length - 1);
  if ('。？！?!，,'.includes(last)) return out;
  // Half-width typists rarely end a line with a full stop; everybody marks questions.
  if (QUESTION_END.test(out) || /请问[^，,]*$/.test(out)) out += fullWidth ? '？' : '?';
  else if (fullWidth && rng.chance(0.5)) out += '。';
  return out;
}

let converters: { tw: (s: string) => string; hk: (s: string) => string } | undefined;

export function toScript(text: string, script: Script): string {
  if (script === 'simplified') return text;
  converters ??= { tw: Converter({ from: 'cn', to: 'tw' }), hk: Converter({ from: 'cn', to: 'hk' }) };
  return converters[script](text);
}
