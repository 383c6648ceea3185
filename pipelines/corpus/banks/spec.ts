import type {
  Aspect,
  ComplaintCategory,
  CompetitorId,
  Escalation,
  LifeEvent,
  Need,
} from '../../../src/domain/labels.js';
import type { Expected } from '../types.js';

/**
 * Compact labels for hand-written sentences: comma-separated
 *   c:<category>  complaint with a category      x  complaint without a category (other)
 *   e:<escalation> (a complaint)                  n:<need>   d:<need> (declined)   l:<life event>
 *   k:<competitor>[/<aspect>...][/sw]             ''  nothing at all
 */
export function parseSpec(spec: string): Partial<Expected> {
  const out: Partial<Expected> = {};
  const list = <T>(key: keyof Expected, value: T): void => {
    const current = (out[key] as T[] | undefined) ?? [];
    (out as Record<string, unknown>)[key] = [...current, value];
  };
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)) {
    const [kind, value = ''] = part.split(':');
    if (kind === 'x') out.complaint = true;
    else if (kind === 'c') {
      out.complaint = true;
      list<ComplaintCategory>('categories', value as ComplaintCategory);
    } else if (kind === 'e') {
      out.complaint = true;
      list<Escalation>('escalation', value as Escalation);
    } else if (kind === 'n') list<Need>('needs', value as Need);
    else if (kind === 'd') list<Need>('declinedNeeds', value as Need);
    else if (kind === 'l') list<LifeEvent>('lifeEvents', value as LifeEvent);
    else if (kind === 'k') {
      const [id, ...rest] = value.split('/');
      const switchingIntent = rest.includes('sw');
      const aspects = rest.filter((r) => r !== 'sw') as Aspect[];
      list('competitors', { id: id as CompetitorId, aspects, switchingIntent });
    } else throw new Error(`bad label spec "${part}" in "${spec}"`);
  }
  return out;
}
