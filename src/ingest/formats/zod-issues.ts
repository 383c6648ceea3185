import type { z } from 'zod';
import type { ParseIssue } from './types.js';

/** [3, "utterances", 0, "speaker"] -> "[3].utterances[0].speaker" */
export function pathToString(path: readonly PropertyKey[]): string {
  return path
    .map((key) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(key))
          ? `.${String(key)}`
          : `[${JSON.stringify(String(key))}]`,
    )
    .join('');
}

/**
 * Joins a location and a JSON path: "$[3]" + ".speaker" -> "$[3].speaker", "a.ndjson line 4" +
 * ".speaker" -> "a.ndjson line 4 $.speaker". A location that already holds a JSON path continues it.
 */
export function at(where: string, path: readonly PropertyKey[]): string {
  if (path.length === 0) return where;
  const suffix = pathToString(path);
  return /(^|\s)\$/.test(where) ? where + suffix : `${where} $${suffix}`;
}

/** A short, safe rendering of the offending value for a message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}..."` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Zod issues -> ParseIssues that name the JSON path, what was expected, and what was found. */
export function zodIssues(error: z.ZodError, root: unknown, where: string): ParseIssue[] {
  return error.issues.map((issue) => {
    const got = valueAt(root, issue.path);
    const expected =
      issue.code === 'invalid_type'
        ? issue.expected
        : issue.code === 'invalid_value'
          ? `one of ${issue.values.map(String).join('|')}`
          : undefined;
    const message =
      expected === undefined
        ? `${issue.message}, got ${describeValue(got)}`
        : got === undefined
          ? `missing: expected ${expected}`
          : `expected ${expected}, got ${describeValue(got)}`;
    return { where: at(where, issue.path), message };
  });
}

/**
 * Validates each element of a vendor array on its own, so one bad sentence is reported by its path
 * and skipped while the rest of the conversation is kept.
 */
export function validateEach<T>(
  items: readonly unknown[],
  schema: z.ZodType<T>,
  where: (index: number) => string,
): { valid: { value: T; where: string }[]; issues: ParseIssue[] } {
  const valid: { value: T; where: string }[] = [];
  const issues: ParseIssue[] = [];
  items.forEach((item, i) => {
    const result = schema.safeParse(item);
    if (result.success) valid.push({ value: result.data, where: where(i) });
    else issues.push(...zodIssues(result.error, item, where(i)));
  });
  return { valid, issues };
}
