import assert from 'node:assert/strict';
import {
  LABEL_GROUPS,
  type CombinationPolicy,
  type LabelGroup,
} from '../../../src/analysis/combination-policy.js';
import { bestTables, combineWithModel, type ModelScores } from '../../../src/analysis/combine.js';
import { emptyAnalysis, type Analysis } from '../../../src/domain/analysis.js';
import type { Conversation } from '../../../src/domain/conversation.js';
import { UTTERANCE_MODEL_LABELS } from '../../../src/ml/classifier-labels.js';
import { scoreRows, type ScoreRow, type ScoreTable } from '../../../src/ml/score-table.js';

const every = (v: number) =>
  Object.fromEntries(LABEL_GROUPS.map((g) => [g, v])) as Record<LabelGroup, number>;
const policy = (add: number, veto: number): CombinationPolicy => ({
  inputs: 'utterance',
  categoryFallback: 0.4,
  switchingEscalates: true,
  declineFlip: 0.9,
  add: every(add),
  veto: every(veto),
  gate: every(0.2),
  toneWeight: 0.8,
  version: 'test',
});

/** Scores on a coarse grid, so that ties between utterances are common. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * 6) / 5;
  };
}

describe('bestTables', () => {
  // three conversations: customer utterances at odd indices, a customer side for the first two
  const owners = [
    { conversation: 0, utterance: 1 },
    { conversation: 0, utterance: 3 },
    { conversation: 0, utterance: 5 },
    { conversation: 0, utterance: -1 },
    { conversation: 1, utterance: 1 },
    { conversation: 1, utterance: 3 },
    { conversation: 1, utterance: -1 },
    { conversation: 2, utterance: 1 },
  ];
  const labels = [...UTTERANCE_MODEL_LABELS];
  const random = seeded(7);
  const table: ScoreTable = {
    labels,
    scores: Float64Array.from({ length: owners.length * labels.length }, () => random()),
  };
  const rows = scoreRows(table);
  const best = bestTables(table, rows[0]!.labelIndex, owners, 3);
  const scoresOf = (c: number, withBest: boolean): ModelScores => {
    const utterances = new Map<number, ScoreRow>();
    let side: ScoreRow | undefined;
    owners.forEach((o, k) => {
      if (o.conversation !== c) return;
      if (o.utterance < 0) side = rows[k];
      else utterances.set(o.utterance, rows[k]!);
    });
    return { utterances, ...(side ? { customerSide: side } : {}), ...(withBest ? { best: best[c]! } : {}) };
  };

  it('finds each label the first utterance with its highest score, skipping customer sides', () => {
    for (let c = 0; c < 3; c++) {
      const { utterances } = scoresOf(c, false);
      const table = best[c]!;
      labels.forEach((label, l) => {
        let score = 0;
        let utterance = -1;
        for (const [u, s] of utterances) {
          const v = s.get(label) ?? 0;
          if (v > score) [score, utterance] = [v, u];
        }
        assert.equal(table.score[table.base + l], score, `${c} ${label}`);
        assert.equal(table.utterance[table.base + l], utterance, `${c} ${label}`);
      });
    }
  });

  it('gives the combination the same analysis as working the best utterances out per conversation', () => {
    const conversation: Conversation = {
      id: 'c',
      channel: 'call',
      startedAt: '2026-11-01T10:00:00+08:00',
      utterances: Array.from({ length: 6 }, (_, i) => ({
        speaker: i % 2 === 1 ? ('customer' as const) : ('agent' as const),
        text: `第${i}句`,
      })),
    };
    const rules: Analysis = {
      ...emptyAnalysis('c'),
      complaint: { is: true, categories: ['fees'], escalation: [] },
      needs: ['mortgage'],
      competitors: [{ id: 'hxb', aspects: [], switchingIntent: false }],
      evidence: [
        { label: 'competitor:hxb', utterance: 1, start: 0, end: 2 },
        { label: 'need:mortgage', utterance: 3, start: 0, end: 2 },
      ],
    };
    for (const p of [policy(0.8, 0.05), policy(0.4, 0.6), policy(1, 0)])
      for (let c = 0; c < 3; c++)
        assert.deepEqual(
          combineWithModel(rules, conversation, scoresOf(c, true), p),
          combineWithModel(rules, conversation, scoresOf(c, false), p),
        );
  });
});
