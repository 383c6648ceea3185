import { OffsetBuilder, type OffsetText } from './offset-text.js';

/**
 * ASR fillers and stutters. 嗯/呃/唔 are always fillers. 那个、就是、就是说、额 are real words too, so they
 * are dropped only where they act as fillers: at the start of a clause (or right after another
 * filler), or when repeated (那个那个). Stutters: a character said three or more times (我我我 -> 我),
 * a pronoun or particle said twice (我我想 -> 我想), a repeated pair (我想我想 -> 我想). Words that are
 * doubled on purpose (谢谢, 看看, 宝宝) keep two characters.
 */
const ALWAYS = new Set(['嗯', '呃', '唔', '呣']);
const CLAUSE_BREAK = /[\s,.!?;:，。！？；：、…~～()（）"“”'‘’]/;
const STUTTER_TWICE = new Set(['我', '你', '他', '她', '就', '这', '那', '是', '在', '要', '想', '的', '那', '呃', '啊']);
const DOUBLE_OK = new Set(['谢', '哈', '呵', '嘻', '看', '试', '问', '等', '刚', '常', '天', '慢', '宝', '妈', '爸', '哥', '姐', '弟', '妹', '爷', '奶', '星', '明', '渐', '偷', '悄', '乖', '好', '快', '多', '早', '点', '块', '个', '年', '月', '次', '人', '家', '处', '样', '步', '说']);
const CJK = /[\u3400-\u9fff]/;

function isBreak(ch: string | undefined): boolean {
  return ch === undefined || CLAUSE_BREAK.test(ch);
}

/** Length of the filler word starting at i, or 0. */
function fillerAt(t: string, i: number, clauseStart: boolean): number {
  const c = t.charAt(i);
  if (ALWAYS.has(c)) return 1;
  if (c === '额') {
    const next = t.charAt(i + 1);
    // 额 ends many words (余额, 提额, 限额): a filler only when it opens a clause or is repeated
    if (next === '额' || (clauseStart && next !== '度' && next !== '外' && !isBreak(t[i + 1]))) return 1;
    return 0;
  }
  if (t.startsWith('那个', i)) {
    if (clauseStart || isBreak(t[i + 2]) || t.startsWith('那个', i + 2)) return 2;
    return fillerAt(t, i + 2, false) > 0 ? 2 : 0;
  }
  if (t.startsWith('就是', i)) {
    const repeated = t.startsWith('就是', i + 2);
    if (clauseStart || repeated) return t.charAt(i + 2) === '说' ? 3 : 2;
    return 0;
  }
  return 0;
}

export function removeFillers(source: OffsetText): OffsetText {
  const t = source.text;
  const n = t.length;
  const out = new OffsetBuilder();
  let clauseStart = true;
  let i = 0;
  while (i < n) {
    const filler = fillerAt(t, i, clauseStart);
    if (filler > 0) {
      i += filler;
      continue;
    }
    const ch = t.charAt(i);
    if (CJK.test(ch)) {
      let run = 1;
      while (t.charAt(i + run) === ch) run++;
      if (run >= 3 || (run === 2 && STUTTER_TWICE.has(ch))) {
        const keep = DOUBLE_OK.has(ch) ? 2 : 1;
        for (let k = 0; k < keep; k++) out.push(ch.charCodeAt(0), i + k, i + run - keep + k + 1);
        i += run;
        clauseStart = false;
        continue;
      }
      const next = t.charAt(i + 1);
      if (run === 1 && next !== ch && CJK.test(next) && t.charAt(i + 2) === ch && t.charAt(i + 3) === next) {
        let end = i + 4;
        while (t.charAt(end) === ch && t.charAt(end + 1) === next) end += 2;
        out.push(ch.charCodeAt(0), i, end - 1);
        out.push(next.charCodeAt(0), end - 1, end);
        i = end;
        clauseStart = false;
        continue;
      }
    }
    out.push(t.charCodeAt(i), i, i + 1);
    clauseStart = isBreak(ch);
    i++;
  }
  if (out.length === n) return source;
  return out.build(source);
}
