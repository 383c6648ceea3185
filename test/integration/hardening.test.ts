/**
 * Issue 14, items 3 and 6 as a hostile but fair client sees them: bodies of the wrong type are
 * refused, numbers typed into free-text fields and headers are masked before they are stored or
 * logged, saved searches hold their schema and size, the console sends security headers, and every
 * 4xx (431 included) is JSON.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { startTestService, type TestService } from '../helpers/test-service.js';

const PHONE = '13812345678';

interface ErrorBody {
  error: { code: string; message: string; details?: { where?: string; message: string }[] };
}

describe('hardening (embedded)', function () {
  let svc: TestService;
  before(async () => {
    svc = await startTestService('embedded');
  });
  after(async () => svc?.stop());

  const postSearch = (body: string, contentType?: string) =>
    svc.request('/v1/search', {
      role: 'analyst',
      method: 'POST',
      body,
      headers: contentType ? { 'content-type': contentType } : {},
    });

  it('refuses a POST /v1/search body that is not JSON with a JSON 415 instead of matching everything', async () => {
    for (const contentType of ['text/plain', undefined]) {
      const res = await postSearch('{"q":"年费"}', contentType);
      assert.equal(res.status, 415, `content type ${contentType ?? '(none)'}`);
      const body = (await res.json()) as ErrorBody;
      assert.equal(body.error.code, 'unsupported_media_type');
      assert.match(body.error.message, /application\/json/);
    }
    assert.equal((await postSearch('{"q":"年费"}', 'application/json')).status, 200);
    const bad = await postSearch('{"limit":"many"}', 'application/json');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as ErrorBody).error.details?.[0]?.where, 'body.limit');
  });

  it('masks a personal number sent as X-Request-Id in the echo and the log', async () => {
    const res = await svc.request('/v1/search?q=x', {
      role: 'analyst',
      headers: { 'x-request-id': `call-${PHONE}` },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-request-id'), 'call-*******5678');
    assert.ok(svc.logLines.some((l) => l.includes('call-*******5678')));
    assert.ok(!svc.logLines.some((l) => l.includes(PHONE)), 'the clear number reached the log');
  });

  it('masks numbers typed into an exported query and the key name in the audit log', async () => {
    const key = await svc.service.container.keys.create('analyst', `张三 ${PHONE}`);
    const res = await fetch(`${svc.url}/v1/search/export?q=${encodeURIComponent(`${PHONE} 年费`)}`, {
      headers: { authorization: `Bearer ${key.key}` },
    });
    assert.equal(res.status, 200);
    await res.text();
    const audit = await (await svc.request('/v1/audit?limit=5')).text();
    assert.ok(audit.includes('*******5678 年费'), audit);
    assert.ok(!audit.includes(PHONE), 'the clear number reached the audit log');
  });

  it('validates saved searches against the search schema and bounds their size', async () => {
    const save = (query: unknown) =>
      svc.request('/v1/saved-searches', {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '年费投诉', query }),
      });
    const unknown = await save({ q: '年费', extra: { deep: { deeper: 'x'.repeat(1000) } } });
    assert.equal(unknown.status, 400);
    assert.match(JSON.stringify(await unknown.json()), /body\.query.*extra|extra.*body\.query/);
    const huge = await save({
      q: '年费',
      agent: Array.from({ length: 200 }, (_, i) => `agent-${i}-${'x'.repeat(60)}`),
    });
    assert.equal(huge.status, 400);
    assert.match(JSON.stringify(await huge.json()), /at most 8192/);
    const ok = await save({ q: '年费', agent: ['a-011'], sort: 'time' });
    assert.equal(ok.status, 201);
    assert.deepEqual(((await ok.json()) as { query: unknown }).query, {
      q: '年费',
      agent: ['a-011'],
      sort: 'time',
    });
    const text = await svc.request('/v1/saved-searches', { role: 'analyst', method: 'POST', body: '{}' });
    assert.equal(text.status, 415);
  });

  it('sends a CSP without inline script, no framing and nosniff with every console file', async () => {
    for (const file of [
      '/console',
      '/console/app.js',
      '/console/style.css',
      '/console/vendor/echarts.min.js',
    ]) {
      const res = await fetch(`${svc.url}${file}`);
      assert.equal(res.status, 200, file);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, file);
      assert.match(csp, /frame-ancestors 'none'/, file);
      assert.doesNotMatch(csp, /script-src[^;]*'unsafe-(inline|eval)'/, file);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', file);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', file);
      await res.arrayBuffer();
    }
  });

  it('has no inline script or event handler in the console page that the CSP would block', () => {
    const html = fs.readFileSync(path.resolve('src/console/public/index.html'), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length > 0);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes ?? '', /\bsrc=/, 'a <script> without src');
      assert.equal(body?.trim(), '', 'an inline script body');
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'an inline event handler');
    assert.doesNotMatch(html, /javascript:/i);
  });

  it('answers headers over 16 KiB with a JSON 431', async () => {
    const { status, type, body } = await new Promise<{ status: number; type: string; body: string }>(
      (resolve, reject) => {
        const url = new URL(`${svc.url}/v1/search?q=${'a'.repeat(20_000)}`);
        const req = httpRequest(url, { headers: { authorization: `Bearer ${svc.keys.analyst}` } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body: text }),
          );
        });
        req.on('error', reject);
        req.end();
      },
    );
    assert.equal(status, 431);
    assert.match(type, /application\/json/);
    const parsed = JSON.parse(body) as ErrorBody;
    assert.equal(parsed.error.code, 'headers_too_large');
    assert.match(parsed.error.message, /POST \/v1\/search/);
  });

  it('documents body, params and roles in OpenAPI without repeating admin', async () => {
    const doc = (await (await svc.request('/v1/openapi.json', { role: 'none' })).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            'x-roles'?: string[];
            parameters?: { name: string; in: string; description?: string }[];
            requestBody?: unknown;
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    for (const [route, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const roles = op['x-roles'] ?? [];
        assert.equal(new Set(roles).size, roles.length, `${method} ${route} x-roles ${roles.join(',')}`);
      }
    }
    const post = doc.paths['/v1/search']?.post;
    assert.ok(post?.requestBody !== undefined && post.responses['415'] !== undefined);
    const del = doc.paths['/v1/saved-searches/{id}']?.delete;
    assert.equal(del?.parameters?.find((p) => p.in === 'path')?.description, 'The saved search id');
  });
});
