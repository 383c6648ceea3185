import { ParseFormatError, type ParseContext } from './types.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses the whole file as JSON; a file that is not JSON is unusable as a JSON format. */
export function parseJsonFile(text: string, ctx: ParseContext, expected: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const reason = (err as Error).message;
    throw new ParseFormatError(`${ctx.name} is not valid JSON`, [
      { where: ctx.name, message: `not valid JSON (${reason}): expected ${expected}` },
    ]);
  }
}

/** The file parsed as JSON but its shape is not the format's: nothing in it is usable. */
export function wrongShape(
  ctx: ParseContext,
  where: string,
  expected: string,
  got: string,
): ParseFormatError {
  return new ParseFormatError(`${ctx.name} does not have the expected shape`, [
    { where, message: `expected ${expected}, got ${got}` },
  ]);
}

/** JSON-encoded JSON, as iFlytek nests its results: parsed when a string, kept when already parsed. */
export function maybeJsonString(value: unknown): { value?: unknown; error?: string } {
  if (typeof value !== 'string') return { value };
  try {
    return { value: JSON.parse(value) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
