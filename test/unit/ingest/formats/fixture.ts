import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUpload, type ParseOptions, type ParseResult } from '../../../../src/ingest/formats/index.js';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/formats');

export const STARTED_AT = '2026-11-01T09:00:00+08:00';

/** The bytes of a fixture in test/fixtures/formats. */
export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(DIR, name));
}

/** Parses a fixture under its own file name, with a default start time unless the options say otherwise. */
export function parseFixture(name: string, options: ParseOptions = {}): ParseResult {
  return parseUpload(fixture(name), { filename: name, defaults: { startedAt: STARTED_AT }, ...options });
}

/** Parses inline text as the named file. */
export function parseText(text: string, filename: string, options: ParseOptions = {}): ParseResult {
  return parseUpload(text, { filename, defaults: { startedAt: STARTED_AT }, ...options });
}

/** "speaker: text" lines, to compare utterances at a glance. */
export function lines(result: ParseResult, index = 0): string[] {
  return (result.conversations[index]?.utterances ?? []).map((u) => `${u.speaker}: ${u.text}`);
}
