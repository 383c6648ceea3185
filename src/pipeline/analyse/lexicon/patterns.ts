import type { Role } from './roles.js';

/** One element of a pattern: any of `terms` (term ids) or, with `comp`, a competitor name. */
export interface PatternElement {
  terms: number[];
  comp: boolean;
  /** most words allowed between the previous element and this one */
  gap: number;
}

export interface CompiledPattern {
  source: string;
  elements: PatternElement[];
  /** the role a match gets (a category, a need, a life event) or 'switch' for switching intent */
  role: Role | 'switch';
}

export const DEFAULT_GAP = 2;
const MAX_GAP = 20;

/**
 * Parse `"年费|手续费 ~4 太贵|不合理"`: space-separated elements, `|` alternatives, `~N` the most words
 * between the previous element and the next, `$COMP` a competitor name (only where allowed).
 */
export function parsePattern(
  source: string,
  register: (text: string) => number,
  allowComp: boolean,
): PatternElement[] {
  const elements: PatternElement[] = [];
  let gap = DEFAULT_GAP;
  for (const part of source.trim().split(/\s+/)) {
    const gapMatch = /^~(\d+)$/.exec(part);
    if (gapMatch) {
      if (elements.length === 0) throw new Error(`"${part}" must come between two elements`);
      gap = Number(gapMatch[1]);
      if (gap > MAX_GAP) throw new Error(`gap ${part} is more than ~${MAX_GAP}`);
      continue;
    }
    if (part.startsWith('~')) throw new Error(`"${part}": a gap is written ~N with N a number of words`);
    if (part === '$COMP') {
      if (!allowComp) throw new Error('$COMP is only allowed in competitors.yaml switching patterns');
      elements.push({ terms: [], comp: true, gap });
    } else {
      const alternatives = part.split('|');
      if (alternatives.some((a) => a.length === 0)) throw new Error(`"${part}" has an empty alternative`);
      if (alternatives.some((a) => a.startsWith('$')))
        throw new Error(`"${part}": unknown slot (only $COMP exists)`);
      elements.push({ terms: alternatives.map(register), comp: false, gap });
    }
    gap = DEFAULT_GAP;
  }
  if (elements.length < 2) throw new Error('a pattern needs at least two elements (use `terms` for one)');
  return elements;
}
