/**
 * The classifier port. The analysis engine depends on this interface only; the technology behind it
 * (transformers.js over a local ONNX model directory) lives in transformers-classifier.ts.
 */
import type { ScoreTable } from './score-table.js';

export interface LabelScore {
  label: string;
  /** Independent probability in 0..1 for multi-label models (sigmoid); softmax share otherwise. */
  score: number;
}

export interface TextClassifier {
  /** Identifies the model files (sha256 prefix); stored with every analysis it contributed to. */
  readonly version: string;
  /**
   * Scores every label for every text. One inner array per input text, all labels, highest score
   * first. Texts must be prepared as the model was trained (the shipped model: modelInputs in
   * src/analysis/model-inputs.ts; see docs/CLASSIFIER.md).
   */
  classify(texts: string[]): Promise<LabelScore[][]>;
  /**
   * The same scores as `classify`, in one typed array in label order (score-table.ts): what the
   * analysis engine reads, because a sorted object per label and text costs more than the model.
   */
  scoreTable(texts: string[]): Promise<ScoreTable>;
  /**
   * `scoreTable` of texts given as their words (each text is `words.join(' ')`), for callers that
   * hold the words already: a model that reads words need not split the texts again.
   */
  scoreWordTable?(texts: readonly (readonly string[])[]): Promise<ScoreTable>;
}
