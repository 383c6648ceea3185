/** The console's static files: gzipped for clients that accept it, ETag revalidation, cache headers. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { startTestService, type TestService } from '../helpers/test-service.js';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

describe('console static files', function () {
  this.timeout(60_000);
  let svc: TestService;
  before(async () => {
    svc = await startTestService('embedded');
  });
  after(async () => {
    await svc?.stop();
  });

  it('serves ECharts gzipped, kept by the browser for a day', async () => {
    const original = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));
    const res = await get(`${svc.url}/console/vendor/echarts.min.js`, { 'accept-encoding': 'gzip, br' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['cache-control'], 'public, max-age=86400');
    assert.match(res.headers['content-type'] ?? '', /javascript/);
    assert.ok(res.body.length < original.length / 2, `${res.body.length} of ${original.length} bytes`);
    assert.deepEqual(gunzipSync(res.body), original);
    const plain = await get(`${svc.url}/console/vendor/echarts.min.js`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.body.length, original.length);
  });

  it('answers 304 to a browser that has the current version of a console file', async () => {
    const first = await get(`${svc.url}/console/app.js`, { 'accept-encoding': 'gzip' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['cache-control'], 'no-cache');
    const etag = first.headers.etag ?? '';
    assert.match(etag, /^".+"$/);
    const again = await get(`${svc.url}/console/app.js`, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.ok(again.headers['content-security-policy'], 'security headers on a 304 too');
    assert.equal((await get(`${svc.url}/console/nothing-here.js`)).status, 404);
  });
});
