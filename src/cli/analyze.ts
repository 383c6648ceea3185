import path from 'node:path';
import { loadConfig } from '../config/env.js';
import { parseUpload } from '../ingest/formats/index.js';
import { redactConversation } from '../pipeline/redact/index.js';
import { AnalysisService } from '../analysis/analysis-service.js';
import { loadClassifier } from '../analysis/load-classifier.js';
import { createLogger } from '../logging/logger.js';
import { createPipeline } from '../pipeline/run-pipeline.js';
import { readInput } from './read-input.js';

/** Prints one analysis (taxonomy.md output format) per input conversation, without a server. */
export async function runAnalyze(options: { input: string }): Promise<void> {
  const config = loadConfig();
  const content = await readInput(options.input);
  const text = content.toString('utf8').trimStart();
  const result = parseUpload(content, {
    format:
      text.startsWith('[') || (text.startsWith('{') && !text.includes('\n{'))
        ? 'native-json'
        : 'native-ndjson',
    ...(options.input !== '-' ? { filename: path.basename(options.input) } : {}),
  });
  for (const issue of result.issues) process.stderr.write(`${issue.where}: ${issue.message}\n`);
  const pipeline = createPipeline({
    modelsDir: config.modelsDir,
    ...(config.homeInstitution.names.length ? { homeInstitution: config.homeInstitution } : {}),
  });
  const analysis = new AnalysisService(pipeline, await loadClassifier(config, createLogger(config.logLevel)));
  for (const original of result.conversations) {
    // Offsets in the evidence refer to the redacted text, which is the text that gets stored.
    const { conversation } = redactConversation(original);
    process.stdout.write(`${JSON.stringify((await analysis.analyse(conversation)).analysis)}\n`);
  }
  if (result.issues.length > 0) process.exitCode = 1;
}
