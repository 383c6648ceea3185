import type { Analysis } from '../../src/domain/analysis.js';
import type { BlindItem, Tone } from './blind-items.js';
import { addExample, DIMENSIONS, emptyScores, labelsOf, Score, type Scores } from './metrics.js';

/**
 * The customer's overall tone from the analysis' sentiment (-1..1). The cut-offs are fixed by the
 * contract's reading of sentiment (a clearly negative customer), not tuned on any evaluation set.
 */
export const NEGATIVE_TONE = -0.2;
export const POSITIVE_TONE = 0.2;
export function toneOf(analysis: Analysis): Tone {
  const s = analysis.sentiment.customer;
  return s <= NEGATIVE_TONE ? 'negative' : s >= POSITIVE_TONE ? 'positive' : 'neutral';
}

/** Scores of one system on one set of blind items, split as the issue reports them. */
export interface RoundScores {
  /** multi-utterance conversations */
  conversations: Scores;
  /** every item (conversations and short texts) */
  all: Scores;
  /** complaint posts that are complaints: how many the system calls a complaint */
  narrativeComplaintRecall: Score;
  /** forum comments: named competitors found (micro over comment × competitor) */
  forumBankRecall: Score;
  /** short texts: the negative tone as a binary label */
  negativeTone: Score;
  /** every item: the negative tone as a binary label */
  negativeToneAll: Score;
  counts: Record<string, number>;
}

export function emptyRoundScores(): RoundScores {
  return {
    conversations: emptyScores(),
    all: emptyScores(),
    narrativeComplaintRecall: new Score(),
    forumBankRecall: new Score(),
    negativeTone: new Score(),
    negativeToneAll: new Score(),
    counts: {},
  };
}

function binary(score: Score, want: boolean, got: boolean): void {
  if (want && got) score.tp++;
  else if (want) score.fn++;
  else if (got) score.fp++;
}

export function addItem(scores: RoundScores, item: BlindItem, analysis: Analysis): number {
  scores.counts[item.kind] = (scores.counts[item.kind] ?? 0) + 1;
  const errors = addExample(scores.all, item.expected, analysis);
  if (item.kind === 'conversation') addExample(scores.conversations, item.expected, analysis);
  const negative = toneOf(analysis) === 'negative';
  binary(scores.negativeToneAll, item.expected.sentiment === 'negative', negative);
  if (item.kind !== 'conversation')
    binary(scores.negativeTone, item.expected.sentiment === 'negative', negative);
  if (item.kind === 'complaint_post' && item.expected.complaint)
    binary(scores.narrativeComplaintRecall, true, analysis.complaint.is);
  if (item.kind === 'forum_comment') {
    const got = new Set(labelsOf('competitors', analysis));
    for (const id of labelsOf('competitors', item.expected))
      binary(scores.forumBankRecall, true, got.has(id));
    for (const id of got)
      if (!labelsOf('competitors', item.expected).includes(id)) scores.forumBankRecall.fp++;
  }
  return errors;
}

const f = (x: number): string => x.toFixed(3);

/** One markdown row per system: F1 per dimension (conversations), then the short-text measures. */
export function headlineHeader(): string[] {
  return [
    `| system | ${DIMENSIONS.join(' | ')} | narrative complaint recall | forum bank recall | negative tone F1 (short texts) |`,
    `|---|${DIMENSIONS.map(() => '---').join('|')}|---|---|---|`,
  ];
}

export function headlineRow(name: string, s: RoundScores, scope: 'conversations' | 'all'): string {
  const dims = DIMENSIONS.map((d) => f(s[scope].overall[d].f1)).join(' | ');
  return `| ${name} | ${dims} | ${f(s.narrativeComplaintRecall.recall)} | ${f(s.forumBankRecall.recall)} | ${f(s.negativeTone.f1)} |`;
}

export function detailTable(s: Scores): string[] {
  const lines = ['| dimension | precision | recall | F1 | support |', '|---|---|---|---|---|'];
  for (const d of DIMENSIONS) {
    const o = s.overall[d];
    lines.push(`| ${d} | ${f(o.precision)} | ${f(o.recall)} | ${f(o.f1)} | ${o.support} |`);
  }
  return lines;
}
