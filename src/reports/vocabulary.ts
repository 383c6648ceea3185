/** What the report needs from the taxonomy: the names it knows, words that are not names, aspect words. */
import { join } from 'node:path';
import type { Aspect } from '../domain/labels.js';
import { loadTaxonomy } from '../pipeline/analyse/taxonomy/load-taxonomy.js';
import type { TaxonomyData } from '../pipeline/analyse/taxonomy/schema.js';

export interface ReportVocabulary {
  /** Every competitor name, weak name and generic bank word, the home institution's names and self-references (lower-case). */
  knownNames: Set<string>;
  /** Words before 银行 that are not a name (你们, 手机, 哪家...). */
  notNames: Set<string>;
  /** Aspect words, in taxonomy order, for grouping quotes by what they say. */
  aspectTerms: [Aspect, string[]][];
}

export function vocabularyOf(data: TaxonomyData, homeNames: readonly string[] = []): ReportVocabulary {
  const known = new Set<string>();
  const add = (names: readonly string[]): void => names.forEach((n) => known.add(n.toLowerCase()));
  for (const c of Object.values(data.competitors.competitors)) {
    add(c.names);
    add(c.weakNames);
    add(c.generic);
  }
  add(data.institution.home.names);
  add(data.institution.selfReferences);
  add(homeNames);
  return {
    knownNames: known,
    notNames: new Set(data.competitors.otherBank.notNames),
    aspectTerms: Object.entries(data.competitors.aspects.terms).map(
      ([aspect, terms]) => [aspect as Aspect, terms ?? []] as [Aspect, string[]],
    ),
  };
}

/** Reads models/taxonomy of `modelsDir` (throws TaxonomyError on an invalid file). */
export function loadReportVocabulary(modelsDir: string, homeNames: readonly string[] = []): ReportVocabulary {
  return vocabularyOf(loadTaxonomy(join(modelsDir, 'taxonomy')).data, homeNames);
}
