import type { AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import { toClassifierText } from '../ml/classifier-input.js';
import type { TextClassifier } from '../ml/classifier.js';
import type { Pipeline, ProcessResult } from '../pipeline/run-pipeline.js';
import { combineWithModel, NEGATIVE_SENTIMENT } from './combine.js';

/** Rules (the pipeline) plus the learned classifier, where one is configured. */
export class AnalysisService {
  constructor(
    private readonly pipeline: Pipeline,
    private readonly classifier: TextClassifier | undefined,
  ) {}

  get versions(): AnalysisVersions {
    return { ...this.pipeline.versions, model: this.classifier?.version ?? 'none' };
  }

  async analyse(conversation: Conversation): Promise<ProcessResult> {
    const [result] = await this.analyseMany([conversation]);
    return result!;
  }

  /**
   * Analyses a batch. The model is asked only about what it can change (combine.ts): customer
   * utterances the rules find negative, in conversations without a complaint, in one batched call.
   */
  async analyseMany(conversations: Conversation[]): Promise<ProcessResult[]> {
    const results = conversations.map((c) => this.pipeline.process(c));
    if (!this.classifier) return results;
    const asks: { conversation: number; utterance: number }[] = [];
    results.forEach((result, c) => {
      if (result.analysis.complaint.is) return;
      conversations[c]!.utterances.forEach((u, i) => {
        const sentiment = result.utteranceSentiment[i];
        if (
          u.speaker === 'customer' &&
          sentiment !== null &&
          sentiment !== undefined &&
          sentiment <= NEGATIVE_SENTIMENT
        ) {
          asks.push({ conversation: c, utterance: i });
        }
      });
    });
    if (asks.length === 0) return results;
    const scores = await this.classifier.classify(
      asks.map((a) => toClassifierText([conversations[a.conversation]!.utterances[a.utterance]!.text])),
    );
    return results.map((result, c) => {
      const mine = asks.map((a, k) => ({ ...a, k })).filter((a) => a.conversation === c);
      if (mine.length === 0) return result;
      return {
        ...result,
        analysis: combineWithModel(
          result.analysis,
          conversations[c]!,
          mine.map((a) => a.utterance),
          mine.map((a) => scores[a.k]!),
          result.utteranceSentiment,
        ),
      };
    });
  }
}
