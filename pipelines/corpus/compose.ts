import { Converter } from 'opencc-js';
import type { Expected } from './types.js';

/** Deterministic PRNG so the corpus is reproducible. */
export { seededRandom as createRandom } from '../../src/shared/seeded-random.js';

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

const toHongKong = Converter({ from: 'cn', to: 'hk' });
const toTaiwan = Converter({ from: 'cn', to: 'twp' });
const FILLERS = ['嗯', '呃', '那个', '就是', '嗯那个', '就是说', '嗯嗯'];
const DIGIT_WORDS = '零一二三四五六七八九';

/** ASR register: no punctuation, fillers, stutters, digits read out. */
export function asAsr(random: () => number, text: string): string {
  const clauses = text.split(/[\s，。！？,!?]+/).filter((c) => c.length > 0);
  const out = clauses.map((clause, i) => {
    let c = clause;
    if (random() < (i === 0 ? 0.35 : 0.2)) c = pick(random, FILLERS) + c;
    if (random() < 0.15 && /^[我你就这那]/.test(c))
      c = c.charAt(0).repeat(random() < 0.5 ? 2 : 3) + c.slice(1);
    return c;
  });
  let joined = out.join(random() < 0.2 ? ' ' : '');
  if (random() < 0.6) joined = joined.replace(/[0-9]/g, (d) => DIGIT_WORDS.charAt(Number(d)));
  return joined;
}

/** Chat register: punctuation, sometimes emphatic. */
export function asChat(random: () => number, text: string, angry: boolean): string {
  let t = text.replace(/\s+/g, '，');
  if (!/[。！？!?～]$/.test(t)) {
    const question = /[吗呢]$|多少|怎么|哪|什么|能不能|有没有/.test(t);
    t += question ? (random() < 0.3 ? '？？' : '？') : angry ? '！' : random() < 0.6 ? '。' : '';
  }
  return t;
}

export function asTraditional(random: () => number, texts: string[]): string[] {
  const convert = random() < 0.5 ? toHongKong : toTaiwan;
  return texts.map((t) => convert(t));
}

export function asFullWidth(text: string): string {
  return text.replace(/[0-9A-Za-z%]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Union of the labels of the units of one conversation. */
export function mergeExpected(parts: Partial<Expected>[]): Expected {
  const categories = new Set<Expected['categories'][number]>();
  const escalation = new Set<Expected['escalation'][number]>();
  const needs = new Set<Expected['needs'][number]>();
  const declined = new Set<Expected['needs'][number]>();
  const life = new Set<Expected['lifeEvents'][number]>();
  const competitors = new Map<string, Expected['competitors'][number]>();
  let complaint = false;
  for (const p of parts) {
    complaint ||= p.complaint ?? false;
    p.categories?.forEach((c) => categories.add(c));
    p.escalation?.forEach((e) => escalation.add(e));
    p.needs?.forEach((n) => needs.add(n));
    p.declinedNeeds?.forEach((n) => declined.add(n));
    p.lifeEvents?.forEach((l) => life.add(l));
    for (const c of p.competitors ?? []) {
      const seen = competitors.get(c.id);
      if (!seen)
        competitors.set(c.id, { id: c.id, aspects: [...c.aspects], switchingIntent: c.switchingIntent });
      else {
        seen.aspects = [...new Set([...seen.aspects, ...c.aspects])];
        seen.switchingIntent ||= c.switchingIntent;
      }
    }
  }
  if (categories.size > 1) categories.delete('other');
  if (complaint && categories.size === 0) categories.add('other');
  const sorted = <T extends string>(s: Set<T>): T[] => [...s].sort();
  return {
    complaint,
    categories: complaint ? sorted(categories) : [],
    escalation: sorted(escalation),
    competitors: [...competitors.values()]
      .map((c) => ({ ...c, aspects: [...c.aspects].sort() }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    needs: sorted(needs),
    declinedNeeds: sorted(declined),
    lifeEvents: sorted(life),
  };
}
