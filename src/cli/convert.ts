import path from 'node:path';
import { ParseFormatError, parseUpload, type FormatId } from '../ingest/formats/index.js';
import { redactConversation } from '../pipeline/redact/index.js';
import { parseSpeakerMap, readInput } from './read-input.js';

export interface ConvertOptions {
  input: string;
  format?: FormatId;
  speakers?: string;
  startedAt?: string;
  redact: boolean;
}

export async function runConvert(options: ConvertOptions): Promise<void> {
  const content = await readInput(options.input);
  const map = parseSpeakerMap(options.speakers);
  try {
    const result = parseUpload(content, {
      ...(options.input !== '-' ? { filename: path.basename(options.input) } : {}),
      ...(options.format ? { format: options.format } : {}),
      ...(map ? { speakers: { map } } : {}),
      defaults: options.startedAt ? { startedAt: options.startedAt } : {},
    });
    for (const c of result.conversations) {
      const out = options.redact ? redactConversation(c).conversation : c;
      process.stdout.write(`${JSON.stringify(out)}\n`);
    }
    for (const issue of result.issues) process.stderr.write(`${issue.where}: ${issue.message}\n`);
    process.stderr.write(
      `${result.conversations.length} conversation(s) as ${result.format}, ${result.issues.length} issue(s)\n`,
    );
    if (result.conversations.length === 0) process.exitCode = 1;
  } catch (err) {
    if (!(err instanceof ParseFormatError)) throw err;
    for (const issue of err.issues) process.stderr.write(`${issue.where}: ${issue.message}\n`);
    process.exitCode = 1;
  }
}
