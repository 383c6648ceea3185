/**
 * Prints a parsed query back in the query syntax of query-parser.ts, so that parsing the printed
 * text gives the same query (tokens joined by spaces inside quotes, every group in parentheses).
 * Used to check the parser and to show an analyst the query as it was understood.
 */
import type { SpeakerScope, TextQuery } from '../storage/text-query.js';

export function printQuery(text: TextQuery | undefined, scope: SpeakerScope = 'all'): string {
  const body = text === undefined ? '' : print(text);
  return scope === 'all' ? body : `speaker:${scope} ${body}`.trim();
}

function print(query: TextQuery): string {
  switch (query.kind) {
    case 'phrase':
      return quote(query.tokens);
    case 'near':
      return `${quote(query.left)} NEAR/${query.distance} ${quote(query.right)}`;
    case 'and':
      return query.children.map(group).join(' ');
    case 'or':
      return query.children.map(group).join(' OR ');
    case 'not':
      return `NOT ${group(query.child)}`;
  }
}

function group(query: TextQuery): string {
  return query.kind === 'phrase' ? print(query) : `(${print(query)})`;
}

function quote(tokens: readonly string[]): string {
  return `"${tokens.join(' ')}"`;
}
