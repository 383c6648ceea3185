/**
 * The access rule of every route, generated from the route table (through the OpenAPI document the
 * route helper builds from it): no key is 401, a key of a role the route does not name is 403, both
 * as JSON errors; public routes answer without a key. A new route is covered without a new test.
 */
import assert from 'node:assert/strict';
import { ROLES, type Role } from '../../src/storage/types.js';
import { startTestService, type TestService } from '../helpers/test-service.js';

interface Operation {
  security?: unknown[];
  'x-roles'?: Role[];
}

describe('route access, every route (embedded)', function () {
  let svc: TestService;
  let operations: { method: string; path: string; roles: Role[] | 'public' }[] = [];

  before(async () => {
    svc = await startTestService('embedded');
    const doc = (await (await svc.request('/v1/openapi.json', { role: 'none' })).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        // Any value will do for a path parameter: access is checked before the route reads it.
        path: path.replace(/\{\w+\}/g, 'x'),
        roles: op.security?.length === 0 ? ('public' as const) : (op['x-roles'] ?? []),
      })),
    );
  });
  after(async () => svc?.stop());

  const call = async (method: string, path: string, role: Role | 'none') => {
    const res = await svc.request(path, { method, role });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json')
      ? ((await res.json()) as { error?: { code?: string } })
      : await res.text();
    return { status: res.status, code: typeof body === 'string' ? undefined : body.error?.code };
  };

  it('covers the whole route table, protected and public', () => {
    assert.ok(operations.filter((o) => o.roles !== 'public').length >= 20, JSON.stringify(operations));
    assert.ok(operations.some((o) => o.roles === 'public'));
    for (const o of operations) {
      if (o.roles !== 'public')
        assert.ok(o.roles.includes('admin'), `${o.method} ${o.path} leaves out admin`);
    }
  });

  it('answers 401 JSON without a key on every protected route', async () => {
    const wrong: string[] = [];
    for (const o of operations.filter((op) => op.roles !== 'public')) {
      const { status, code } = await call(o.method, o.path, 'none');
      if (status !== 401 || code !== 'unauthorized') wrong.push(`${o.method} ${o.path}: ${status} ${code}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('answers 403 JSON to a key of every role the route does not name', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const o of operations) {
      if (o.roles === 'public') continue;
      const allowed = o.roles;
      for (const role of ROLES.filter((r) => !allowed.includes(r))) {
        checked++;
        const { status, code } = await call(o.method, o.path, role);
        if (status !== 403 || code !== 'forbidden')
          wrong.push(`${o.method} ${o.path} as ${role}: ${status} ${code}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(checked >= 20, `only ${checked} forbidden combinations`);
  });

  it('lets every public route answer without a key', async () => {
    const wrong: string[] = [];
    for (const o of operations.filter((op) => op.roles === 'public')) {
      const { status } = await call(o.method, o.path, 'none');
      if (status === 401 || status === 403) wrong.push(`${o.method} ${o.path}: ${status}`);
    }
    assert.deepEqual(wrong, []);
  });
});
