import type { Analysis } from '../domain/analysis.js';

/** The labels of an analysis as flat strings ("complaint:fees", "competitor:cmb", "need:deposit"…). */
export function labelSet(analysis: Analysis): Set<string> {
  const labels = new Set<string>();
  if (analysis.complaint.is) labels.add('complaint');
  for (const c of analysis.complaint.categories) labels.add(`complaint:${c}`);
  for (const e of analysis.complaint.escalation) labels.add(`escalation:${e}`);
  for (const c of analysis.competitors) {
    labels.add(`competitor:${c.id}`);
    for (const a of c.aspects) labels.add(`aspect:${a}`);
    if (c.switchingIntent) labels.add('switchingIntent');
  }
  for (const n of analysis.needs) labels.add(`need:${n}`);
  for (const n of analysis.declinedNeeds) labels.add(`declinedNeed:${n}`);
  for (const l of analysis.lifeEvents) labels.add(`lifeEvent:${l}`);
  return labels;
}
