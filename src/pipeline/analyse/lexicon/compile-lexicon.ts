import { COMPETITOR_IDS, type CompetitorId } from '../../../domain/labels.js';
import { normaliseTerm } from '../../normalise/normalise.js';
import { TaxonomyError } from '../taxonomy/load-taxonomy.js';
import type { TaxonomyData } from '../taxonomy/schema.js';
import { parsePattern, type CompiledPattern } from './patterns.js';
import { termMeta, type Role, type TermMeta } from './roles.js';
import { TermTrie } from './trie.js';

export interface TermInfo {
  text: string;
  roles: Role[];
  /** Latin/digit terms must not touch other Latin/digit characters (app, 12378) */
  latin: boolean;
  meta: TermMeta;
}

export interface HomeInstitution {
  id: string;
  names: string[];
}

/** Everything the detectors need, compiled once per taxonomy version. */
export interface Lexicon {
  trie: TermTrie;
  terms: TermInfo[];
  /** scratch: for each term, the id of the last utterance context that saw it (pattern pre-checks) */
  seen: Int32Array;
  patternsByFirstTerm: Map<number, CompiledPattern[]>;
  switchPatterns: CompiledPattern[];
  data: TaxonomyData;
  /** competitor that is the home institution (never reported), if the home id is a competitor id */
  homeCompetitor?: CompetitorId;
  /** names matched by sound, with their id */
  pinyinNames: { text: string; id: CompetitorId }[];
  notNames: Set<string>;
  otherGeneric: Set<number>;
  /** consequent markers (就, 那就) and past markers (了, 的): too frequent to scan for, checked in place */
  consequents: string[];
  pastMarkers: string[];
  /** words a negation reaches across */
  transparent: Set<string>;
}

const LATIN = /^[a-z0-9.%+-]+$/;

export function compileLexicon(data: TaxonomyData, home?: HomeInstitution): Lexicon {
  const trie = new TermTrie();
  const terms: TermInfo[] = [];
  const ids = new Map<string, number>();

  const register = (raw: string): number => {
    const text = normaliseTerm(raw).trim();
    if (text.length === 0) throw new Error(`term "${raw}" is empty after normalisation`);
    let id = ids.get(text);
    if (id === undefined) {
      id = terms.length;
      ids.set(text, id);
      terms.push({ text, roles: [], latin: LATIN.test(text), meta: termMeta([]) });
      trie.add(text, id);
    }
    return id;
  };
  const add = (list: readonly string[], role: Role): void => {
    for (const t of list) {
      const info = terms[register(t)] as TermInfo;
      if (!info.roles.some((r) => JSON.stringify(r) === JSON.stringify(role))) info.roles.push(role);
    }
  };
  const patternsByFirstTerm = new Map<number, CompiledPattern[]>();
  const switchPatterns: CompiledPattern[] = [];
  const addPatterns = (
    file: string,
    path: string,
    sources: readonly string[],
    role: Role | 'switch',
  ): void => {
    sources.forEach((source, i) => {
      let elements;
      try {
        elements = parsePattern(source, register, role === 'switch');
      } catch (error) {
        throw new TaxonomyError(file, [`${path}[${i}]: ${(error as Error).message} in "${source}"`]);
      }
      const pattern: CompiledPattern = { source, elements, role };
      const first = elements[0];
      if (role === 'switch' || !first) switchPatterns.push(pattern);
      else
        for (const t of first.terms)
          patternsByFirstTerm.set(t, [...(patternsByFirstTerm.get(t) ?? []), pattern]);
    });
  };

  const { cues, complaints, competitors, needs, lifeEvents, sentiment, institution } = data;
  add(cues.clauseBreaks, { kind: 'clause' });
  add(cues.neutral, { kind: 'neutral' });
  add(cues.negation.terms, { kind: 'neg' });
  add(cues.negation.backward, { kind: 'negBack' });
  add(cues.hypothetical.terms, { kind: 'hypo' });
  add(cues.hypothetical.backward, { kind: 'hypoBack' });
  add(cues.hypothetical.unreal, { kind: 'unreal' });
  add(complaints.praise, { kind: 'praise' });
  add(cues.intent.desire, { kind: 'desire' });
  add(cues.intent.action, { kind: 'action' });
  add(cues.intent.question, { kind: 'question' });
  add(cues.intent.pastBefore, { kind: 'pastBefore' });
  add(cues.decline.terms, { kind: 'decline' });
  add(cues.marketing.terms, { kind: 'marketing' });
  add(cues.service.terms, { kind: 'service' });
  add(cues.answers.offer, { kind: 'offer' });
  add(cues.answers.accept, { kind: 'accept' });
  add(cues.answers.refuse, { kind: 'refuse' });

  add(complaints.triggers.terms, { kind: 'trigger' });
  add(complaints.triggers.exclude, { kind: 'triggerExclude' });
  addPatterns('models/taxonomy/complaints.yaml', 'triggers.patterns', complaints.triggers.patterns, {
    kind: 'trigger',
  });
  add(complaints.negativeCues, { kind: 'negCue' });
  const complaintsFile = 'models/taxonomy/complaints.yaml';
  for (const [category, def] of Object.entries(complaints.categories)) {
    const c = category as keyof typeof complaints.categories;
    add(def.terms, { kind: 'catTerm', category: c });
    add(def.topics, { kind: 'catTopic', category: c });
    add(def.cues, { kind: 'catCue', category: c });
    add(def.exclude, { kind: 'catExclude', category: c });
    addPatterns(complaintsFile, `categories.${c}.patterns`, def.patterns, { kind: 'catTerm', category: c });
  }
  for (const [escalation, def] of Object.entries(complaints.escalation)) {
    const e = escalation as keyof typeof complaints.escalation;
    add(def.terms, { kind: 'escalation', escalation: e, weak: false });
    add(def.weak, { kind: 'escalation', escalation: e, weak: true });
  }

  const homeCompetitor = COMPETITOR_IDS.find((id) => id === (home?.id ?? institution.home.id));
  add([...institution.selfReferences, ...institution.home.names, ...(home?.names ?? [])], { kind: 'self' });
  const pinyinNames: { text: string; id: CompetitorId }[] = [];
  const otherGeneric = new Set<number>();
  for (const [competitor, def] of Object.entries(competitors.competitors)) {
    const id = competitor as CompetitorId;
    if (id === homeCompetitor) {
      add([...def.names, ...def.weakNames], { kind: 'self' });
      continue;
    }
    add(def.names, { kind: 'compName', id, weak: false });
    add(def.weakNames, { kind: 'compName', id, weak: true });
    add(def.generic, { kind: 'compName', id, weak: false });
    def.generic.forEach((g) => otherGeneric.add(register(g)));
    if (def.pinyin) {
      for (const name of def.names) {
        const text = normaliseTerm(name);
        if (text.length >= 2 && text.length <= 5 && /^[\u4e00-\u9fff]+$/.test(text))
          pinyinNames.push({ text, id });
      }
    }
  }
  add(competitors.otherBank.suffixes, { kind: 'otherSuffix' });
  add(competitors.thirdParty, { kind: 'thirdParty' });
  for (const [aspect, list] of Object.entries(competitors.aspects.terms)) {
    add(list, { kind: 'aspect', aspect: aspect as keyof typeof competitors.aspects.terms });
  }
  add(competitors.switching.anaphoric, { kind: 'switchAnaphoric' });
  addPatterns(
    'models/taxonomy/competitors.yaml',
    'switching.patterns',
    competitors.switching.patterns,
    'switch',
  );

  for (const [need, def] of Object.entries(needs.needs)) {
    const n = need as keyof typeof needs.needs;
    add(def.terms, { kind: 'needTerm', need: n });
    add(def.products, { kind: 'needProduct', need: n });
    add(def.exclude, { kind: 'needExclude', need: n });
    for (const g of def.generic) add(g.when, { kind: 'needContext', need: n, to: g.to });
    addPatterns('models/taxonomy/needs.yaml', `needs.${n}.patterns`, def.patterns, {
      kind: 'needTerm',
      need: n,
    });
  }
  for (const [event, def] of Object.entries(lifeEvents.lifeEvents)) {
    const e = event as keyof typeof lifeEvents.lifeEvents;
    add(def.terms, { kind: 'lifeTerm', event: e });
    add(def.exclude, { kind: 'lifeExclude', event: e });
    addPatterns('models/taxonomy/life-events.yaml', `lifeEvents.${e}.patterns`, def.patterns, {
      kind: 'lifeTerm',
      event: e,
    });
  }
  for (const [word, weight] of [
    ...Object.entries(sentiment.positive),
    ...Object.entries(sentiment.negative),
  ]) {
    add([word], { kind: 'sentiment', weight });
  }
  for (const [word, factor] of Object.entries(sentiment.intensifiers))
    add([word], { kind: 'intensifier', factor });

  for (const t of terms) t.meta = termMeta(t.roles);
  trie.freeze();
  return {
    trie,
    terms,
    seen: new Int32Array(terms.length),
    patternsByFirstTerm,
    switchPatterns,
    data,
    homeCompetitor,
    pinyinNames,
    notNames: new Set(competitors.otherBank.notNames.map((n) => normaliseTerm(n))),
    otherGeneric,
    consequents: cues.hypothetical.consequent.map(normaliseTerm),
    pastMarkers: cues.intent.past.map(normaliseTerm),
    transparent: new Set(cues.negation.transparent.map(normaliseTerm)),
  };
}
