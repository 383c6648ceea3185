import { redactText } from './index.js';

/**
 * A deep copy of a JSON-like value with personal numbers masked in every string, keys included:
 * for records that keep what a user typed (audit entries, saved searches) rather than utterances.
 */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redactText(value).text as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactStrings(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [redactText(k).text, redactStrings(v)]),
  ) as T;
}
