/**
 * tsx pipelines/eval/check-items.ts FILE...
 *
 * For blind writers: checks that every line of their own files is a valid item (the schema of
 * pipelines/eval/BRIEF.md) and counts how often each label occurs, so a writer can see which labels
 * their files still lack. It reads only the files named; it knows nothing about the labeler.
 */
import { readBlindFile } from '../evaluation/blind-items.js';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: tsx pipelines/eval/check-items.ts FILE...');
  process.exit(2);
}
const counts = new Map<string, number>();
const bump = (k: string): void => void counts.set(k, (counts.get(k) ?? 0) + 1);
let items = 0;
let failed = false;
for (const file of files) {
  try {
    for (const item of readBlindFile(file)) {
      items++;
      const e = item.expected;
      bump(`kind:${item.kind}`);
      if (e.complaint) bump('complaint');
      e.categories.forEach((c) => bump(`complaint:${c}`));
      e.escalation.forEach((c) => bump(`escalation:${c}`));
      for (const c of e.competitors) {
        bump(`competitor:${c.id}`);
        c.aspects.forEach((a) => bump(`aspect:${a}`));
        if (c.switchingIntent) bump('switching');
      }
      e.needs.forEach((n) => bump(`need:${n}`));
      e.declinedNeeds.forEach((n) => bump(`declinedNeed:${n}`));
      e.lifeEvents.forEach((n) => bump(`lifeEvent:${n}`));
      bump(`sentiment:${e.sentiment}`);
      const n = item.conversation.utterances.length;
      for (const [label, idx] of Object.entries(item.evidence))
        for (const i of idx)
          if (i >= n || item.conversation.utterances[i]?.speaker !== 'customer')
            throw new Error(`${item.where}: evidence ${label} points at ${i}, not a customer utterance`);
    }
  } catch (err) {
    failed = true;
    console.error((err as Error).message);
  }
}
console.log(`${items} items`);
for (const [k, v] of [...counts].sort()) console.log(`${k}\t${v}`);
if (failed) process.exitCode = 1;
