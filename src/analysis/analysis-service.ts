import type { AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import type { Pipeline, ProcessResult } from '../pipeline/run-pipeline.js';
import { scoreRows } from '../ml/score-table.js';
import { bestTables, combineWithModel, type ModelScores, type UtteranceScores } from './combine.js';
import type { AnalysisModel } from './load-classifier.js';
import { modelInputWords } from './model-inputs.js';

/** The whole customer side is scored when the policy blends its tone or gates labels on it. */
function needsSide(model: AnalysisModel): boolean {
  return model.policy.toneWeight > 0 || Object.values(model.policy.gate).some((g) => g > 0);
}

/** Rules (the pipeline) plus the utterance model, where one is configured. */
export class AnalysisService {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly model: AnalysisModel | undefined,
  ) {}

  get versions(): AnalysisVersions {
    const m = this.model;
    return { ...this.pipeline.versions, model: m ? `${m.classifier.version}+${m.policy.version}` : 'none' };
  }

  async analyse(conversation: Conversation): Promise<ProcessResult> {
    const [result] = await this.analyseMany([conversation]);
    return result!;
  }

  /**
   * Analyses a batch: the rules on every conversation, then one batched model call over every
   * customer utterance (and every customer side of two or more utterances, for tone), combined per
   * conversation by the model's policy (combine.ts).
   */
  async analyseMany(conversations: Conversation[]): Promise<ProcessResult[]> {
    const results = conversations.map((c) => this.pipeline.process(c));
    const model = this.model;
    if (!model) return results;
    const texts: (readonly string[])[] = [];
    const asks: { conversation: number; utterance: number }[] = [];
    conversations.forEach((c, ci) => {
      const inputs = modelInputWords(c, results[ci]!.tokens, model.policy.inputs);
      for (const u of inputs.utterances) {
        texts.push(u.words);
        asks.push({ conversation: ci, utterance: u.index });
      }
      if (inputs.side !== undefined && needsSide(model)) {
        texts.push(inputs.side);
        asks.push({ conversation: ci, utterance: -1 });
      }
    });
    if (texts.length === 0) return results;
    const classifier = model.classifier;
    const table = await (classifier.scoreWordTable
      ? classifier.scoreWordTable(texts)
      : classifier.scoreTable(texts.map((words) => words.join(' '))));
    const rows = scoreRows(table);
    // every label's best utterance per conversation, for the whole batch at once (combine.ts)
    const best = rows.length > 0 ? bestTables(table, rows[0]!.labelIndex, asks, conversations.length) : [];
    const perConversation = conversations.map(
      (): { utterances: Map<number, UtteranceScores>; side?: UtteranceScores } => ({
        utterances: new Map(),
      }),
    );
    asks.forEach((a, k) => {
      const scores = rows[k]!;
      const target = perConversation[a.conversation]!;
      if (a.utterance < 0) target.side = scores;
      else target.utterances.set(a.utterance, scores);
    });
    return results.map((result, c) => {
      const s = perConversation[c]!;
      if (s.utterances.size === 0) return result;
      const scores: ModelScores = {
        utterances: s.utterances,
        ...(s.side ? { customerSide: s.side } : {}),
        ...(best[c] ? { best: best[c] } : {}),
      };
      return {
        ...result,
        analysis: combineWithModel(result.analysis, conversations[c]!, scores, model.policy, {
          customerCalm: result.customerCalm,
        }),
      };
    });
  }
}
