/**
 * Properties of the query parser over generated input: any text either parses or fails with a 400
 * ValidationError that points into the query; what parses prints back to text that parses to the
 * same query.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ValidationError } from '../../../src/errors.js';
import { parseQuery, type ParsedQuery } from '../../../src/search/query-parser.js';
import { printQuery } from '../../../src/search/query-printer.js';

/** A segmenter that splits on whitespace, so a phrase's tokens print back to the same phrase. */
const segment = (text: string): string[] => text.split(/\s+/u).filter((t) => t !== '');

/** Query-like text: syntax pieces, Chinese and Latin words, odd characters, in any order. */
const queryText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '(',
        ')',
        '"',
        '“',
        '”',
        '（',
        '）',
        '-',
        ' ',
        '\t',
        'OR',
        'or',
        '|',
        '或',
        'NOT',
        'AND',
        'NEAR',
        'NEAR/3',
        'NEAR/0',
        'NEAR/99999999999999999999',
        'near/2',
        'speaker:customer',
        'speaker:客户',
        'speaker:boss',
        '说话人:坐席',
        '年费',
        '太贵',
        '手续费',
        'a',
        'C++',
        '😀',
        '\\',
      ),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

function parse(text: string): ParsedQuery | ValidationError {
  try {
    return parseQuery(text, segment);
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
}

describe('query parser properties', () => {
  it('parses any text or refuses it with a 400 that names q and a position inside it', () => {
    fc.assert(
      fc.property(fc.oneof(queryText, fc.string({ unit: 'grapheme', maxLength: 40 })), (text) => {
        const result = parse(text);
        if (!(result instanceof ValidationError)) return;
        assert.equal(result.status, 400);
        const detail = result.details[0] as { where?: string; position?: number } | undefined;
        assert.equal(detail?.where, 'q');
        assert.ok(
          typeof detail.position === 'number' && detail.position >= 0 && detail.position <= text.length,
          `position ${detail.position} in ${JSON.stringify(text)}`,
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('prints what it parsed to text that parses to the same query', () => {
    fc.assert(
      fc.property(queryText, (text) => {
        const first = parse(text);
        fc.pre(!(first instanceof ValidationError));
        const parsed = first as ParsedQuery;
        const printed = printQuery(parsed.text, parsed.scope);
        const again = parse(printed);
        assert.ok(!(again instanceof ValidationError), `${printed}: ${String((again as Error).message)}`);
        assert.deepEqual(again.text, parsed.text, printed);
        assert.equal(again.scope, parsed.scope, printed);
      }),
      { numRuns: 2000 },
    );
  });
});
