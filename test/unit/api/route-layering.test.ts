/**
 * Handlers call services, never ports (issue 14 item 3): no route module imports the storage or
 * queue layers, not even for a type, so a handler cannot be handed a store or the queue. What a
 * route needs from there (a type, a limit) a service re-exports.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROUTES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/api/routes');
const FORBIDDEN = /\/(storage|queue)\//;

describe('route modules', () => {
  const files = fs.readdirSync(ROUTES).filter((f) => f.endsWith('.ts'));

  it('import nothing from storage/ or queue/', () => {
    assert.ok(files.length >= 10, `only ${files.length} route modules found in ${ROUTES}`);
    const offending = files.flatMap((file) => {
      const source = fs.readFileSync(path.join(ROUTES, file), 'utf8');
      return [...source.matchAll(/\bfrom\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/g)]
        .map((m) => m[1] ?? m[2] ?? '')
        .filter((specifier) => FORBIDDEN.test(specifier))
        .map((specifier) => `${file}: ${specifier} (call a service; let it re-export what the route needs)`);
    });
    assert.deepEqual(offending, []);
  });
});
