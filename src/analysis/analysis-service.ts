import type { AnalysisVersions } from '../domain/analysis.js';
import type { Conversation } from '../domain/conversation.js';
import { toClassifierText } from '../ml/classifier-input.js';
import type { TextClassifier } from '../ml/classifier.js';
import type { Pipeline, ProcessResult } from '../pipeline/run-pipeline.js';
import { combineWithModel } from './combine.js';

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
    const result = this.pipeline.process(conversation);
    if (!this.classifier || result.analysis.complaint.is) return result;
    const customer = conversation.utterances
      .map((u, i) => ({ u, i }))
      .filter(({ u }) => u.speaker === 'customer' && u.text.trim() !== '');
    if (customer.length === 0) return result;
    const scores = await this.classifier.classify(customer.map(({ u }) => toClassifierText([u.text])));
    return {
      ...result,
      analysis: combineWithModel(
        result.analysis,
        conversation,
        customer.map(({ i }) => i),
        scores,
        result.utteranceSentiment,
      ),
    };
  }
}
