/**
 * The access rule of every route, generated from the route table of the running app (the specs its
 * RouteRegistry holds): no key or an unknown key is 401, a key of a role the route does not name is
 * 403, both as JSON errors; every role it names gets past authentication; public routes answer
 * without a key. A route added to the express router without the registry, or made public
 * without being listed here, fails the first tests. A new route is covered without a new test.
 */
import assert from 'node:assert/strict';
import type express from 'express';
import { z } from 'zod';
import { routeTableOf } from '../../src/api/app.js';
import type { RouteSpec } from '../../src/api/route.js';
import { ROLES, type Role } from '../../src/storage/types.js';
import { startTestService, type TestService } from '../helpers/test-service.js';

/** The only routes that may answer without a key (README: health, readiness, OpenAPI, the console's files). */
const PUBLIC = [
  'GET /healthz',
  'GET /readyz',
  'GET /v1/openapi.json',
  'GET /console',
  'GET /console/vendor/echarts.min.js',
  'GET /console/label-names.js',
  'GET /console/:file',
];

/** Plausible path parameter values: the first one a route's params schema accepts is used. */
const PARAM_VALUES = [
  'c-20261101-000123',
  '3f2b8c1e-9a4d-4c7b-8e21-5d6f7a8b9c0d',
  `wh_${'0123456789abcdef'.repeat(2)}`,
];

/** Query values a route's schema is likely to refuse: an enum, a number, a pattern, a length cap. */
const BAD_QUERY_VALUES = ['not-a-valid-value', '-1', 'x'.repeat(2000)];

const label = (s: RouteSpec) => `${s.method.toUpperCase()} ${s.path}`;

/** Every method and path the express app routes, read from its router stack (express 5 / router 2). */
interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: unknown;
}
function mountedRoutes(stack: Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path}`);
    }
    if (!layer.handle.stack) return [];
    // A sub-router; the API mounts its one router at the root.
    const at = layer.rawPath === '/' || layer.rawPath === undefined ? '' : layer.rawPath;
    if (typeof at !== 'string') throw new Error(`cannot read the mount path ${String(at)}`);
    return mountedRoutes(layer.handle.stack, prefix + at);
  });
}

/** The route's path with each `:param` replaced by a value its params schema accepts. */
function fillPath(spec: RouteSpec): string {
  return spec.path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = PARAM_VALUES.find((v) => !spec.params || spec.params.safeParse({ [name]: v }).success);
    if (value === undefined) throw new Error(`${label(spec)}: no plausible value for :${name}; add one`);
    return encodeURIComponent(value);
  });
}

/**
 * A request the route helper refuses after authentication and before the handler, so checking
 * every allowed role runs no handler (no reports rendered, no re-analysis started): no body to a
 * JSON-only route is 415, a query its schema refuses is 400. Undefined when the route has neither.
 */
function refusedAfterAuth(spec: RouteSpec): { query: string; status: number; code: string } | undefined {
  const jsonOnly = spec.bodyContentTypes?.every((t) => t === 'application/json') ?? true;
  if (spec.body && jsonOnly) return { query: '', status: 415, code: 'unsupported_media_type' };
  if (!spec.query) return undefined;
  const invalid = { status: 400, code: 'invalid_request' };
  if (!spec.query.safeParse({}).success) return { query: '', ...invalid };
  for (const key of queryKeys(spec.query)) {
    for (const value of BAD_QUERY_VALUES) {
      if (!spec.query.safeParse({ [key]: value }).success)
        return { query: `?${new URLSearchParams({ [key]: value }).toString()}`, ...invalid };
    }
  }
  return undefined;
}

/** The keys of a query schema, also when it is an object piped into a transform. */
function queryKeys(schema: z.ZodType): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodPipe) return queryKeys(schema.in as z.ZodType);
  return [];
}

describe('route access, every route of the route table (embedded)', function () {
  let svc: TestService;
  let specs: readonly RouteSpec[] = [];
  let app: express.Express;

  before(async () => {
    svc = await startTestService('embedded');
    app = svc.service.server!.listeners('request')[0] as express.Express;
    specs = routeTableOf(app);
  });
  after(async () => svc?.stop());

  const protectedSpecs = () => specs.filter((s) => s.access !== 'public');

  const call = async (spec: RouteSpec, key: Role | 'none' | 'unknown', query = '') => {
    const headers: Record<string, string> =
      key === 'none'
        ? {}
        : { authorization: `Bearer ${key === 'unknown' ? 'voc_not_a_key' : svc.keys[key]}` };
    const res = await fetch(`${svc.url}${fillPath(spec)}${query}`, {
      method: spec.method.toUpperCase(),
      headers,
    });
    const json = (res.headers.get('content-type') ?? '').includes('application/json');
    const body = json ? ((await res.json()) as { error?: { code?: string; message?: string } }) : undefined;
    if (!json) await res.arrayBuffer();
    return { status: res.status, code: body?.error?.code, message: body?.error?.message };
  };

  it('routes nothing that is not in the route table, and every route declares its access', () => {
    assert.ok(specs.length >= 40, `only ${specs.length} routes in the table`);
    const table = specs.map(label).sort();
    assert.deepEqual(
      mountedRoutes(app.router.stack as unknown as Layer[]).sort(),
      table,
      'a route registered on the router without RouteRegistry.add has no access rule',
    );
    assert.equal(new Set(table).size, table.length, 'a route is registered twice');
    for (const s of specs) {
      if (s.access === 'public') continue;
      assert.ok(s.access.length > 0, `${label(s)}: name the roles (admin is always allowed)`);
      for (const role of s.access) assert.ok(ROLES.includes(role), `${label(s)}: unknown role ${role}`);
    }
  });

  it('lets only the listed routes be public', () => {
    const open = specs.filter((s) => s.access === 'public').map(label);
    assert.deepEqual(open.sort(), [...PUBLIC].sort());
  });

  it('answers 401 JSON without a key and with an unknown key on every protected route', async () => {
    const wrong: string[] = [];
    for (const spec of protectedSpecs()) {
      for (const key of ['none', 'unknown'] as const) {
        const { status, code, message } = await call(spec, key);
        if (status !== 401 || code !== 'unauthorized' || !message)
          wrong.push(`${label(spec)} with key ${key}: ${status} ${code}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('answers 403 JSON to a key of every role the route does not name', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const spec of protectedSpecs()) {
      const allowed = spec.access as readonly Role[];
      for (const role of ROLES.filter((r) => r !== 'admin' && !allowed.includes(r))) {
        checked++;
        const { status, code, message } = await call(spec, role);
        if (status !== 403 || code !== 'forbidden' || !message)
          wrong.push(`${label(spec)} as ${role}: ${status} ${code}`);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(checked >= 40, `only ${checked} forbidden combinations`);
  });

  it('lets every role a route names (and admin) past authentication', async () => {
    const wrong: string[] = [];
    for (const spec of protectedSpecs()) {
      const probe = refusedAfterAuth(spec);
      for (const role of new Set<Role>(['admin', ...(spec.access as readonly Role[])])) {
        const { status, code } = await call(spec, role, probe?.query);
        const expected = probe
          ? status === probe.status && code === probe.code
          : status !== 401 && status !== 403 && status < 500;
        if (!expected)
          wrong.push(
            `${label(spec)} as ${role}: ${status} ${code}${probe ? `, expected ${probe.status}` : ''}`,
          );
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('lets every public route answer without a key', async () => {
    const wrong: string[] = [];
    for (const spec of specs.filter((s) => s.access === 'public')) {
      const { status } = await call(spec, 'none');
      if (status === 401 || status === 403 || status >= 500) wrong.push(`${label(spec)}: ${status}`);
    }
    assert.deepEqual(wrong, []);
  });
});
