import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../../src/config/env.js';

/** The variables of the schema in src/config/env.ts, read from its source. */
function schemaVariables(): string[] {
  const source = fs.readFileSync(path.resolve('src/config/env.ts'), 'utf8');
  const start = source.indexOf('const envSchema = z.object({');
  const end = source.indexOf('\n});', start);
  assert.ok(start >= 0 && end > start, 'envSchema not found in src/config/env.ts');
  return [...source.slice(start, end).matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? '');
}

/** NAME=value lines of .env.example, commented out or not. */
function exampleValues(): Map<string, string> {
  const text = fs.readFileSync(path.resolve('.env.example'), 'utf8');
  return new Map(
    [...text.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]),
  );
}

describe('.env.example', () => {
  it('lists every variable of the configuration schema, each under a comment', () => {
    const listed = exampleValues();
    const variables = schemaVariables();
    assert.ok(variables.length >= 20);
    assert.deepEqual(
      variables.filter((v) => !listed.has(v)),
      [],
    );
    const text = fs.readFileSync(path.resolve('.env.example'), 'utf8').split('\n');
    for (const v of variables) {
      const at = text.findIndex((line) => new RegExp(`^#? ?${v}=`).test(line));
      assert.match(text[at - 1] ?? '', /^# \S/, `${v} has no comment above it`);
    }
  });

  it('holds values the configuration accepts', () => {
    const values = Object.fromEntries(
      [...exampleValues()].filter(
        ([name, value]) => value !== '' && !['ELASTICSEARCH_URL', 'REDIS_URL'].includes(name),
      ),
    );
    assert.doesNotThrow(() => loadConfig(values));
  });
});
