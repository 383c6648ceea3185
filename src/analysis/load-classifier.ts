import type { AppConfig } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import type { TextClassifier } from '../ml/classifier.js';
import { classifierDirFromManifest } from '../ml/manifest.js';
import { loadTransformersClassifier } from '../ml/transformers-classifier.js';
import { loadCombinationPolicy, type CombinationPolicy } from './combination-policy.js';

/** A classifier and the thresholds measured for it (combination.json beside the model files). */
export interface AnalysisModel {
  classifier: TextClassifier;
  policy: CombinationPolicy;
}

/** The model of a directory: its files through transformers.js, its combination policy. */
export async function loadAnalysisModelDir(dir: string): Promise<AnalysisModel> {
  const [classifier, policy] = await Promise.all([
    loadTransformersClassifier(dir),
    loadCombinationPolicy(dir),
  ]);
  return { classifier, policy };
}

/**
 * The classifier of CLASSIFIER_DIR (any local Hugging Face-style directory: config.json,
 * tokenizer.json, onnx/model.onnx), else the one models/manifest.json names; 'none' runs rules only.
 * A configured model that fails to load stops the process: silently analysing without it would
 * change results without anyone noticing.
 */
export async function loadClassifier(
  config: Pick<AppConfig, 'classifierDir' | 'modelsDir'>,
  logger: Logger,
): Promise<AnalysisModel | undefined> {
  if (config.classifierDir === 'none') return undefined;
  const dir = config.classifierDir ?? (await classifierDirFromManifest(config.modelsDir));
  const model = await loadAnalysisModelDir(dir);
  logger.info({ dir, version: model.classifier.version, policy: model.policy.version }, 'classifier loaded');
  return model;
}
