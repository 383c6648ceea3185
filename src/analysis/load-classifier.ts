import type { AppConfig } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import type { TextClassifier } from '../ml/classifier.js';
import { classifierDirFromManifest } from '../ml/manifest.js';
import { loadTransformersClassifier } from '../ml/transformers-classifier.js';

/**
 * The classifier of CLASSIFIER_DIR (any local Hugging Face-style directory: config.json,
 * tokenizer.json, onnx/model.onnx), else the one models/manifest.json names; 'none' runs rules only.
 * A configured model that fails to load stops the process: silently analysing without it would
 * change results without anyone noticing.
 */
export async function loadClassifier(config: AppConfig, logger: Logger): Promise<TextClassifier | undefined> {
  if (config.classifierDir === 'none') return undefined;
  const dir = config.classifierDir ?? (await classifierDirFromManifest(config.modelsDir));
  const classifier = await loadTransformersClassifier(dir);
  logger.info({ dir, version: classifier.version }, 'classifier loaded');
  return classifier;
}
