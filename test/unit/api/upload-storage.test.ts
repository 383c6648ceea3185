import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { multipartFiles } from '../../../src/api/middleware/multipart.js';

/**
 * The multipart files are received in place: no Buffer.concat of a file's chunks at its end (multer's
 * memory storage did one, a 200–340 ms copy on the event loop for 50 MB: README "Large uploads"),
 * and a buffer the parse worker can take without a copy.
 */
describe('multipart files received in place', function () {
  this.timeout(20_000);
  const MAX = 4 * 1024 * 1024;
  let server: ReturnType<express.Express['listen']>;
  let seen: Buffer[] = [];
  let url = '';

  before(async () => {
    const app = express();
    app.post('/up', multipartFiles({ maxFileBytes: MAX, maxFiles: 2 }), (req, res) => {
      const files = (req.files as Record<string, Express.Multer.File[]>).file ?? [];
      seen = files.map((f) => f.buffer);
      res.json({ sizes: files.map((f) => f.size) });
    });
    app.use(
      (
        err: { status?: number; message: string },
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res.status(err.status ?? 500).json({ message: err.message });
      },
    );
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/up`;
  });
  after(() => server.close());

  const upload = (...files: Buffer[]) => {
    const form = new FormData();
    files.forEach((f, i) => form.append('file', new Blob([new Uint8Array(f)]), `f${i}.ndjson`));
    return fetch(url, { method: 'POST', body: form });
  };

  it('keeps each file whole and in order, in a buffer of its own, without joining its chunks at the end', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const small = Buffer.from('{"id":"c-1"}\n');
    const concat = Buffer.concat;
    let joinedBytes = 0;
    Buffer.concat = function (list: readonly Uint8Array[], total?: number) {
      const out = concat.call(Buffer, list, total);
      joinedBytes += out.length;
      return out;
    } as typeof Buffer.concat;
    try {
      const response = await upload(big, small);
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(((await response.json()) as { sizes: number[] }).sizes, [big.length, small.length]);
    } finally {
      Buffer.concat = concat;
    }
    assert.ok(joinedBytes < 64 * 1024, `${joinedBytes} bytes joined by Buffer.concat`);
    assert.ok(seen[0]!.equals(big) && seen[1]!.equals(small));
    for (const b of seen)
      assert.ok(b.byteOffset === 0 && b.byteLength === b.buffer.byteLength, 'a buffer of its own');
  });

  it('still refuses a file over the limit with 413', async () => {
    const response = await upload(Buffer.alloc(MAX + 1));
    assert.equal(response.status, 413, await response.text());
  });
});
