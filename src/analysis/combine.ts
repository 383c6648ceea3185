import type { Analysis, CompetitorMention, Evidence } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import {
  ASPECTS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
  type Aspect,
  type CompetitorId,
} from '../domain/labels.js';
import { ScoreRow, type ScoreTable } from '../ml/score-table.js';
import type { CombinationPolicy, LabelGroup } from './combination-policy.js';

/** The model's negative tone of the customer side from which a calm-worded customer is upset after all (chosen on the dev halves of rounds 1–8: 0.3, 0.5, 0.7 gave complaint 0.922, 0.925, 0.920). */
const CALM_TONE = 0.5;

/** What the rules know about the conversation beyond its labels. */
export interface RulesContext {
  /** the customer talks to an agent and says no word of displeasure (engine.ts) */
  customerCalm?: boolean;
}

/** The model's scores of one customer utterance: label → probability. */
export type UtteranceScores = ReadonlyMap<string, number>;

export interface ModelScores {
  /** customer utterance index → its scores */
  utterances: ReadonlyMap<number, UtteranceScores>;
  /** scores of the whole customer side (tone); absent: the single utterance's */
  customerSide?: UtteranceScores;
  /** every label's best utterance, when the caller worked it out for a whole batch (`bestTables`) */
  best?: BestTable;
}

/** A label one utterance suggests must also fit the whole customer side, when there is one. */
function fitsSide(side: UtteranceScores | undefined, label: string, gate: number): boolean {
  return !side || (side.get(label) ?? 0) >= gate;
}

/**
 * Label strings made once: built per use (`need:${n}`), each lookup hashed a fresh string, which
 * made the combination cost as much as the model.
 */
const LABELS: Record<string, Record<string, string>> = {
  complaint: labelsOf('complaint', COMPLAINT_CATEGORIES),
  escalation: labelsOf('escalation', ESCALATIONS),
  need: labelsOf('need', NEEDS),
  declinedNeed: labelsOf('declinedNeed', NEEDS),
  lifeEvent: labelsOf('lifeEvent', LIFE_EVENTS),
  aspect: labelsOf('aspect', ASPECTS),
};

function labelsOf(prefix: string, ids: readonly string[]): Record<string, string> {
  return Object.fromEntries(ids.map((id) => [id, `${prefix}:${id}`]));
}

function label(prefix: string, id: string): string {
  return LABELS[prefix]?.[id] ?? `${prefix}:${id}`;
}

// Each group's label strings in the order of its ids: the loops over every label index these
// instead of looking each string up twice per conversation.
const COMPLAINT_LABELS = COMPLAINT_CATEGORIES.map((c) => label('complaint', c));
const ESCALATION_LABELS = ESCALATIONS.map((e) => label('escalation', e));
const NEED_LABELS = NEEDS.map((n) => label('need', n));
const DECLINED_LABELS = NEEDS.map((n) => label('declinedNeed', n));
const LIFE_EVENT_LABELS = LIFE_EVENTS.map((l) => label('lifeEvent', l));
const ASPECT_LABELS = ASPECTS.map((a) => label('aspect', a));

interface Best {
  score: number;
  utterance: number;
}

/**
 * Every label's best utterance, by the label's column in the model's score table: label `l`'s best
 * score is `score[base + l]`, its utterance `utterance[base + l]` (-1: none scores above 0).
 */
export interface BestTable {
  index: ReadonlyMap<string, number>;
  score: ArrayLike<number>;
  utterance: ArrayLike<number>;
  base: number;
}

interface BestCache {
  rows?: BestTable;
  /** labels the table has no column for (made when first needed) */
  byLabel?: Map<string, Best>;
}

// The best utterance per label depends on the scores alone; tuning combines the same scores under
// thousands of policies, so it is worked out once per scores object.
const bestCache = new WeakMap<ModelScores, BestCache>();

function bestCacheOf(scores: ModelScores): BestCache {
  // worked out with the batch's: no table and no WeakMap entry per conversation
  if (scores.best) return { rows: scores.best };
  let cache = bestCache.get(scores);
  if (!cache) {
    const rows = bestOfRows(scores);
    bestCache.set(scores, (cache = rows ? { rows } : {}));
  }
  return cache;
}

function bestOf(scores: ModelScores, label: string, cache = bestCacheOf(scores)): Best {
  const table = cache.rows;
  const l = table?.index.get(label);
  // a fresh object each time: memoising them in a holey array per conversation cost more than the
  // whole rest of the combination (33 ms against 13 ms for the 2,000 corpus conversations)
  if (table && l !== undefined)
    return { score: table.score[table.base + l]!, utterance: table.utterance[table.base + l]! };
  const known = cache.byLabel?.get(label);
  if (known) return known;
  let out: Best = { score: 0, utterance: -1 };
  for (const [utterance, s] of scores.utterances) {
    const v = s.get(label) ?? 0;
    if (v > out.score) out = { score: v, utterance };
  }
  (cache.byLabel ??= new Map()).set(label, out);
  return out;
}

/**
 * Every label's best at once when the scores are rows of one model call (what the service passes):
 * one pass over the typed array, no Map of 62 labels per conversation. Same result as bestOf's loop:
 * utterances in order, the first highest score wins, nothing above 0 gives utterance -1.
 */
function bestOfRows(scores: ModelScores): BestTable | undefined {
  let first: ScoreRow | undefined;
  for (const s of scores.utterances.values()) {
    if (!(s instanceof ScoreRow)) return undefined;
    first ??= s;
    if (s.table !== first.table) return undefined;
  }
  if (!first) return undefined;
  const { labels, scores: data } = first.table;
  const L = labels.length;
  // plain arrays filled by a loop: two typed arrays (or Array.fill, a runtime call) per
  // conversation were most of this function's time
  const score: number[] = [];
  const utterance: number[] = [];
  for (let l = 0; l < L; l++) {
    score.push(0);
    utterance.push(-1);
  }
  for (const [u, s] of scores.utterances) {
    const base = (s as ScoreRow).row * L;
    for (let l = 0; l < L; l++) {
      const v = data[base + l]!;
      if (v > score[l]!) {
        score[l] = v;
        utterance[l] = u;
      }
    }
  }
  return { index: first.labelIndex, score, utterance, base: 0 };
}

/**
 * `bestOfRows` for every conversation of a batch scored in one model call, in one pass over the
 * table into two typed arrays (conversations × labels) instead of two arrays, a cache entry and a
 * WeakMap entry per conversation. `owners[k]` says whose row `k` is (utterance -1: a customer side,
 * which is nobody's best utterance); each conversation's rows must come in the order of its
 * `utterances` map, so that the first highest score wins as in `bestOfRows`.
 */
export function bestTables(
  table: ScoreTable,
  index: ReadonlyMap<string, number>,
  owners: readonly { conversation: number; utterance: number }[],
  conversations: number,
): BestTable[] {
  const L = table.labels.length;
  const data = table.scores;
  const score = new Float64Array(conversations * L);
  const utterance = new Int32Array(conversations * L).fill(-1);
  for (let k = 0; k < owners.length; k++) {
    const { conversation, utterance: u } = owners[k]!;
    if (u < 0) continue;
    const base = conversation * L;
    const row = k * L;
    for (let l = 0; l < L; l++) {
      const v = data[row + l]!;
      if (v > score[base + l]!) {
        score[base + l] = v;
        utterance[base + l] = u;
      }
    }
  }
  const out: BestTable[] = [];
  for (let c = 0; c < conversations; c++) out.push({ index, score, utterance, base: c * L });
  return out;
}

/**
 * Rules and the utterance model together (policy: combination-policy.ts). The rules keep what they
 * alone can do: which institution is named, who speaks, and exact evidence spans. The model adds
 * labels the rules' vocabulary misses (a complaint told as a story, an aspect given by context) and
 * drops rule labels it finds no trace of anywhere in the conversation (a product named inside a
 * service request). An added label's evidence is the utterance the model scored highest, whole.
 * Aspects and switching the model hears go to the competitor named in that utterance, else to the
 * last one the customer named before it (「那边三年的给到二点四」).
 */
export function combineWithModel(
  analysis: Analysis,
  conversation: Conversation,
  scores: ModelScores,
  policy: CombinationPolicy,
  rules: RulesContext = {},
): Analysis {
  const cache = bestCacheOf(scores);
  const best = (label: string): Best => bestOf(scores, label, cache);
  const removed = new Set<string>();
  const added: Evidence[] = [];
  const addEvidence = (label: string, at: Best): void => {
    const text = conversation.utterances[at.utterance]?.text ?? '';
    added.push({ label, utterance: at.utterance, start: 0, end: text.length });
  };
  const { add, veto } = policy;
  const fits = (group: LabelGroup, label: string): boolean =>
    fitsSide(scores.customerSide, label, policy.gate[group]);

  // complaint and its categories
  const categories = new Set(analysis.complaint.categories);
  const vetoedCategories: (typeof COMPLAINT_CATEGORIES)[number][] = [];
  for (const c of [...categories]) {
    if (c !== 'other' && best(label('complaint', c)).score < veto.complaintCategory) {
      categories.delete(c);
      removed.add(label('complaint', c));
      vetoedCategories.push(c);
    }
  }
  // a customer who, talking to an agent, says no word of displeasure is not made a complainant by
  // the model (it hears 卡被吞了, 登不进去 as complaints); it can still keep or veto the rules' complaint
  const sideTone = scores.customerSide?.get('tone:negative') ?? best('tone:negative').score;
  const mayAddComplaint = analysis.complaint.is || !rules.customerCalm || sideTone >= CALM_TONE;
  for (let k = 0; k < COMPLAINT_CATEGORIES.length; k++) {
    const c = COMPLAINT_CATEGORIES[k]!;
    if (!mayAddComplaint) break;
    if (c === 'other' || categories.has(c)) continue;
    const lc = COMPLAINT_LABELS[k]!;
    const b = best(lc);
    if (b.score >= add.complaintCategory && fits('complaintCategory', lc)) {
      categories.add(c);
      addEvidence(lc, b);
    }
  }
  const complaint = best('complaint');
  const specific = [...categories].some((c) => c !== 'other');
  const is =
    specific ||
    (analysis.complaint.is && complaint.score >= veto.complaint) ||
    (mayAddComplaint && complaint.score >= add.complaint && fits('complaint', 'complaint'));
  if (!is) {
    for (const c of categories) removed.add(label('complaint', c));
    categories.clear();
  } else if (specific) {
    if (categories.delete('other')) removed.add('complaint:other');
  } else {
    // a complaint with no category of its own: the model's best category if it is fairly sure
    let fallback: { category: (typeof COMPLAINT_CATEGORIES)[number]; at: Best } | undefined;
    for (let k = 0; k < COMPLAINT_CATEGORIES.length; k++) {
      const c = COMPLAINT_CATEGORIES[k]!;
      if (c === 'other') continue;
      const b = best(COMPLAINT_LABELS[k]!);
      if (b.score >= policy.categoryFallback && b.score > (fallback?.at.score ?? 0))
        fallback = { category: c, at: b };
    }
    if (fallback) {
      if (categories.delete('other')) removed.add('complaint:other');
      categories.add(fallback.category);
      addEvidence(label('complaint', fallback.category), fallback.at);
    } else if (vetoedCategories.length > 0) {
      // The model keeps the complaint but names no category of its own: the rules' category, which
      // its veto removed, says more than 'other' (年费太贵了 where the model misses 信用卡年费).
      for (const c of vetoedCategories) {
        categories.add(c);
        removed.delete(label('complaint', c));
      }
    } else if (!categories.has('other')) {
      categories.add('other');
      addEvidence('complaint:other', complaint);
    }
  }
  const escalation = new Set(is ? analysis.complaint.escalation : []);
  if (!is) for (const e of analysis.complaint.escalation) removed.add(label('escalation', e));
  for (let k = 0; k < ESCALATIONS.length; k++) {
    if (!is) break;
    const e = ESCALATIONS[k]!;
    const le = ESCALATION_LABELS[k]!;
    const b = best(le);
    if (escalation.has(e)) {
      if (b.score < veto.escalation) {
        escalation.delete(e);
        removed.add(le);
      }
    } else if (b.score >= add.escalation && fits('escalation', le)) {
      escalation.add(e);
      addEvidence(le, b);
    }
  }

  // needs and declined needs: the model adds a product the rules missed as whichever it scores higher
  const needs = new Set(analysis.needs);
  const declined = new Set(analysis.declinedNeeds);
  // where the customer last voiced the need: the rules' evidence, else the model's best utterance
  const needAt = (ln: string, model: Best): number =>
    Math.max(model.utterance, ...analysis.evidence.filter((e) => e.label === ln).map((e) => e.utterance));
  for (let k = 0; k < NEEDS.length; k++) {
    const n = NEEDS[k]!;
    const ln = NEED_LABELS[k]!;
    const ld = DECLINED_LABELS[k]!;
    const bn = best(ln);
    const bd = best(ld);
    if (needs.has(n) && bn.score < veto.need) {
      needs.delete(n);
      removed.add(ln);
    }
    if (declined.has(n) && bd.score < veto.declinedNeed) {
      declined.delete(n);
      removed.add(ld);
    }
    if (needs.has(n) && bd.score >= policy.declineFlip && bd.utterance >= needAt(ln, bn)) {
      needs.delete(n);
      removed.add(ln);
      if (!declined.has(n)) {
        declined.add(n);
        addEvidence(ld, bd);
      }
    }
    if (analysis.needs.includes(n) || analysis.declinedNeeds.includes(n)) continue;
    if (bn.score >= add.need && bn.score >= bd.score && fits('need', ln)) {
      needs.add(n);
      addEvidence(ln, bn);
    } else if (bd.score >= add.declinedNeed && fits('declinedNeed', ld)) {
      declined.add(n);
      addEvidence(ld, bd);
    }
  }
  const lifeEvents = new Set(analysis.lifeEvents);
  for (let k = 0; k < LIFE_EVENTS.length; k++) {
    const l = LIFE_EVENTS[k]!;
    const ll = LIFE_EVENT_LABELS[k]!;
    const b = best(ll);
    if (lifeEvents.has(l)) {
      if (b.score < veto.lifeEvent) {
        lifeEvents.delete(l);
        removed.add(ll);
      }
    } else if (b.score >= add.lifeEvent && fits('lifeEvent', ll)) {
      lifeEvents.add(l);
      addEvidence(ll, b);
    }
  }

  const competitors = combineCompetitors(analysis, scores, policy);
  if (is && policy.switchingEscalates && !escalation.has('account_closure')) {
    const moving = competitors.find((c) => c.switchingIntent);
    const at = moving && analysis.evidence.find((e) => e.label === `competitor:${moving.id}`);
    if (at) {
      escalation.add('account_closure');
      added.push({ ...at, label: 'escalation:account_closure' });
    }
  }

  const toneSide =
    scores.customerSide ?? (scores.utterances.size === 1 ? [...scores.utterances.values()][0] : undefined);
  let sentiment = analysis.sentiment.customer;
  if (toneSide && policy.toneWeight > 0) {
    const model = (toneSide.get('tone:positive') ?? 0) - (toneSide.get('tone:negative') ?? 0);
    sentiment = (1 - policy.toneWeight) * sentiment + policy.toneWeight * model;
    sentiment = Math.max(-1, Math.min(1, Math.round(sentiment * 1000) / 1000));
  }

  const evidence = [...analysis.evidence.filter((e) => !removed.has(e.label)), ...added].sort(
    (a, b) => a.utterance - b.utterance || a.start - b.start,
  );
  return {
    ...analysis,
    complaint: { is, categories: [...categories], escalation: [...escalation] },
    competitors,
    needs: [...needs],
    declinedNeeds: [...declined],
    lifeEvents: [...lifeEvents],
    sentiment: { customer: sentiment },
    evidence,
  };
}

/** Aspects and switching the model hears, attached to the competitor they are about. */
function combineCompetitors(
  analysis: Analysis,
  scores: ModelScores,
  policy: CombinationPolicy,
): CompetitorMention[] {
  if (analysis.competitors.length === 0) return analysis.competitors;
  const side = scores.customerSide;
  const namedAt = new Map<number, CompetitorId[]>();
  for (const e of analysis.evidence) {
    if (!e.label.startsWith('competitor:')) continue;
    const id = e.label.slice('competitor:'.length) as CompetitorId;
    const list = namedAt.get(e.utterance) ?? [];
    if (!list.includes(id)) list.push(id);
    namedAt.set(e.utterance, list);
  }
  const byId = new Map(
    analysis.competitors.map((c) => [c.id, { ...c, aspects: new Set<Aspect>(c.aspects) }]),
  );
  const maxAspect = new Map<Aspect, number>();
  let maxSwitching = 0;
  let last: CompetitorId[] = [];
  const indexes = [...scores.utterances.keys()].sort((a, b) => a - b);
  const named = [...namedAt.keys()].sort((a, b) => a - b);
  for (const u of indexes) {
    const here = namedAt.get(u);
    if (here) last = here;
    else if (last.length === 0) {
      // the competitor may be named in an earlier utterance the model did not score
      const before = named.filter((n) => n < u).pop();
      if (before !== undefined) last = namedAt.get(before) ?? [];
    }
    const s = scores.utterances.get(u)!;
    const targets = here ?? last;
    for (let k = 0; k < ASPECTS.length; k++) {
      const a = ASPECTS[k]!;
      const la = ASPECT_LABELS[k]!;
      const v = s.get(la) ?? 0;
      maxAspect.set(a, Math.max(maxAspect.get(a) ?? 0, v));
      if (v >= policy.add.aspect && fitsSide(side, la, policy.gate.aspect))
        for (const id of targets) byId.get(id)?.aspects.add(a);
    }
    const sw = s.get('switching') ?? 0;
    maxSwitching = Math.max(maxSwitching, sw);
    if (sw >= policy.add.switching && fitsSide(side, 'switching', policy.gate.switching))
      for (const id of targets) {
        const c = byId.get(id);
        if (c) c.switchingIntent = true;
      }
  }
  return [...byId.values()].map((c) => {
    const rule = analysis.competitors.find((r) => r.id === c.id);
    // a rule aspect or switching the model hears nowhere in the conversation is dropped
    const aspects = [...c.aspects].filter(
      (a) => !rule?.aspects.includes(a) || (maxAspect.get(a) ?? 0) >= policy.veto.aspect,
    );
    const vetoed = (rule?.switchingIntent ?? false) && maxSwitching < policy.veto.switching;
    return { id: c.id, aspects: aspects.sort(), switchingIntent: c.switchingIntent && !vetoed };
  });
}
