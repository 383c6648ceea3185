import type { LabelledText } from './fasttext/build.js';
import { modelInputs, type InputScheme } from '../../src/analysis/model-inputs.js';
import { UTTERANCE_MODEL_LABELS } from '../../src/ml/classifier-labels.js';
import type { BlindItem } from '../evaluation/blind-items.js';

const TONE_LABELS = ['tone:negative', 'tone:positive'];
const KNOWN = new Set(UTTERANCE_MODEL_LABELS);

/** Model labels an evidence key of a blind item stands for (competitor ids are left to the rules). */
export function modelLabelsOfEvidenceKey(key: string): string[] {
  if (key === 'complaint') return ['complaint'];
  const [prefix = '', rest = ''] = key.split(':', 2);
  switch (prefix) {
    case 'complaint':
      return ['complaint', key];
    case 'aspect':
      return [`aspect:${rest.split('/')[1] ?? ''}`];
    case 'switching':
      return ['switching'];
    case 'escalation':
    case 'need':
    case 'declinedNeed':
    case 'lifeEvent':
      return [key];
    default:
      return [];
  }
}

/** The model labels of a whole item (conversation level). */
function conversationLabels(item: BlindItem): Set<string> {
  const e = item.expected;
  const out = new Set<string>();
  if (e.complaint) out.add('complaint');
  for (const c of e.categories) out.add(`complaint:${c}`);
  for (const k of e.escalation) out.add(`escalation:${k}`);
  for (const c of e.competitors) {
    for (const a of c.aspects) out.add(`aspect:${a}`);
    if (c.switchingIntent) out.add('switching');
  }
  for (const n of e.needs) out.add(`need:${n}`);
  for (const n of e.declinedNeeds) out.add(`declinedNeed:${n}`);
  for (const l of e.lifeEvents) out.add(`lifeEvent:${l}`);
  return out;
}

function toneLabels(item: BlindItem): string[] {
  const s = item.expected.sentiment;
  return s === 'negative' ? ['tone:negative'] : s === 'positive' ? ['tone:positive'] : [];
}

export interface UtteranceExample extends LabelledText {
  itemId: string;
  /** the utterance index, or -1 for a whole customer side */
  utterance: number;
}

/**
 * Training examples of one blind item:
 * - each customer utterance, labelled with what its evidence says it carries (a label the item has
 *   but whose evidence names no utterance is unknown for all of them, rather than a false negative);
 *   tone is unknown on an utterance unless it is the item's only customer utterance;
 * - the whole customer side, labelled with every label of the item and its tone.
 */
export function utteranceExamples(
  item: BlindItem,
  tokens: readonly (readonly string[])[],
  scheme: InputScheme = 'utterance',
): UtteranceExample[] {
  const inputs = modelInputs(item.conversation, tokens, scheme);
  const perUtterance = new Map<number, Set<string>>(
    inputs.utterances.map((u) => [u.index, new Set<string>()]),
  );
  const customerUtterances = item.conversation.utterances.filter((u) => u.speaker === 'customer').length;
  const evidenced = new Set<string>();
  for (const [key, indexes] of Object.entries(item.evidence)) {
    const labels = modelLabelsOfEvidenceKey(key).filter((l) => KNOWN.has(l));
    for (const i of indexes) {
      // an index that is not a customer utterance is the writer's slip: ignored, but the label counts
      // as evidenced so it is not made unknown everywhere
      for (const l of labels) evidenced.add(l);
      const set = perUtterance.get(i);
      if (set) for (const l of labels) set.add(l);
    }
  }
  const unevidenced = [...conversationLabels(item)].filter((l) => !evidenced.has(l));
  const single = customerUtterances === 1;
  const out: UtteranceExample[] = inputs.utterances.map((u) => ({
    itemId: item.conversation.id,
    utterance: u.index,
    text: u.text,
    labels: [...perUtterance.get(u.index)!, ...(single ? toneLabels(item) : [])],
    unknown: [...unevidenced, ...(single ? [] : TONE_LABELS)],
  }));
  if (inputs.side !== undefined) {
    // the whole customer side carries every label of the item: the combination uses its scores as a
    // gate (a label one utterance suggests must also fit the conversation as a whole)
    out.push({
      itemId: item.conversation.id,
      utterance: -1,
      text: inputs.side,
      labels: [...conversationLabels(item), ...toneLabels(item)],
      unknown: [],
    });
  }
  return out;
}
