import type { Analysis, CompetitorMention, Evidence } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import { byApplicationOrder, parseFlatLabel, type Correction, type FlatLabel } from '../domain/correction.js';
import type { CompetitorId } from '../domain/labels.js';
import { redactText } from '../pipeline/redact/index.js';

type Applicable = Pick<Correction, 'label' | 'action' | 'utterance' | 'text' | 'at' | 'id'>;

/**
 * The analysis after the analysts' corrections, applied oldest first. Pure, and idempotent: applying
 * the same corrections to the result changes nothing, so it can run after every re-analysis.
 *
 * - `add` puts the label in the analysis with evidence on the corrected utterance (the whole
 *   utterance), together with what it implies: a category or escalation implies `complaint`, an
 *   aspect or switching intent implies the competitor, a need replaces the declined need of the same
 *   product and the other way round (one product is either wanted or declined).
 * - `remove` takes the label and its evidence out, with what depends on it: removing `complaint`
 *   removes its categories and escalations, removing a competitor removes its aspects and switching
 *   intent. Removing the last category ends the complaint too, unless an escalation or an explicit
 *   `complaint` correction holds it (the engine never gives a complaint without a category either).
 *
 * Unknown labels (from a newer taxonomy) are skipped.
 */
export function applyCorrections(analysis: Analysis, corrections: readonly Applicable[]): Analysis {
  let out: Analysis = structuredClone(analysis);
  for (const correction of [...corrections].sort(byApplicationOrder)) {
    const label = parseFlatLabel(correction.label);
    if (label === undefined) continue;
    out = correction.action === 'add' ? add(out, label, correction) : remove(out, label);
  }
  out.evidence.sort((a, b) => a.utterance - b.utterance || a.start - b.start);
  return out;
}

/**
 * The corrections that still fit a conversation: their utterance exists, is the customer's and has
 * the text that was corrected. A re-uploaded conversation whose text changed drops the rest.
 */
export function correctionsThatFit<C extends Applicable>(
  conversation: Conversation,
  corrections: readonly C[],
): C[] {
  return corrections.filter((c) => {
    const u = conversation.utterances[c.utterance];
    return u !== undefined && u.speaker === 'customer' && redactText(u.text).text === c.text;
  });
}

function add(a: Analysis, label: FlatLabel, at: Applicable): Analysis {
  const evidence = (name: string): void => {
    if (a.evidence.some((e) => e.label === name && e.utterance === at.utterance)) return;
    a.evidence.push({ label: name, utterance: at.utterance, start: 0, end: at.text.length });
  };
  const competitor = (id: CompetitorId): CompetitorMention => {
    let found = a.competitors.find((c) => c.id === id);
    if (found === undefined) {
      found = { id, aspects: [], switchingIntent: false };
      a.competitors.push(found);
      evidence(`competitor:${id}`);
    }
    return found;
  };
  switch (label.kind) {
    case 'complaint':
      a.complaint.is = true;
      break;
    case 'category':
      a.complaint.is = true;
      pushOnce(a.complaint.categories, label.value);
      break;
    case 'escalation':
      a.complaint.is = true;
      pushOnce(a.complaint.escalation, label.value);
      break;
    case 'competitor':
      competitor(label.competitor);
      break;
    case 'aspect': {
      const c = competitor(label.competitor);
      pushOnce(c.aspects, label.aspect);
      c.aspects.sort();
      break;
    }
    case 'switching':
      competitor(label.competitor).switchingIntent = true;
      break;
    case 'need':
      a = withoutNeed(a, 'declinedNeed', label.value);
      pushOnce(a.needs, label.value);
      break;
    case 'declinedNeed':
      a = withoutNeed(a, 'need', label.value);
      pushOnce(a.declinedNeeds, label.value);
      break;
    case 'lifeEvent':
      pushOnce(a.lifeEvents, label.value);
      break;
  }
  evidence(at.label);
  return a;
}

function remove(a: Analysis, label: FlatLabel): Analysis {
  const drop = (keep: (e: Evidence) => boolean): void => {
    a.evidence = a.evidence.filter(keep);
  };
  switch (label.kind) {
    case 'complaint':
      a.complaint = { is: false, categories: [], escalation: [] };
      drop((e) => !/^(complaint|escalation)(:|$)/.test(e.label));
      break;
    case 'category': {
      const categories = a.complaint.categories.filter((c) => c !== label.value);
      const held = a.complaint.escalation.length > 0 || a.evidence.some((e) => e.label === 'complaint');
      a.complaint = { ...a.complaint, categories, is: a.complaint.is && (categories.length > 0 || held) };
      drop((e) => e.label !== `complaint:${label.value}`);
      break;
    }
    case 'escalation':
      a.complaint.escalation = a.complaint.escalation.filter((c) => c !== label.value);
      drop((e) => e.label !== `escalation:${label.value}`);
      break;
    case 'competitor': {
      const id = label.competitor;
      a.competitors = a.competitors.filter((c) => c.id !== id);
      drop(
        (e) =>
          e.label !== `competitor:${id}` &&
          e.label !== `switching:${id}` &&
          !e.label.startsWith(`aspect:${id}/`),
      );
      break;
    }
    case 'aspect': {
      const c = a.competitors.find((x) => x.id === label.competitor);
      if (c !== undefined) c.aspects = c.aspects.filter((x) => x !== label.aspect);
      drop((e) => e.label !== `aspect:${label.competitor}/${label.aspect}`);
      break;
    }
    case 'switching': {
      const c = a.competitors.find((x) => x.id === label.competitor);
      if (c !== undefined) c.switchingIntent = false;
      drop((e) => e.label !== `switching:${label.competitor}`);
      break;
    }
    case 'need':
    case 'declinedNeed':
      return withoutNeed(a, label.kind, label.value);
    case 'lifeEvent':
      a.lifeEvents = a.lifeEvents.filter((x) => x !== label.value);
      drop((e) => e.label !== `lifeEvent:${label.value}`);
      break;
  }
  return a;
}

function withoutNeed(a: Analysis, kind: 'need' | 'declinedNeed', value: string): Analysis {
  const field = kind === 'need' ? 'needs' : 'declinedNeeds';
  return {
    ...a,
    [field]: a[field].filter((x) => x !== value),
    evidence: a.evidence.filter((e) => e.label !== `${kind}:${value}`),
  };
}

function pushOnce<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}
