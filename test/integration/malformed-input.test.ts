import assert from 'node:assert/strict';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

interface ErrorBody {
  error: { code: string; message: string; details: { where?: string; message: string }[]; requestId: string };
}

const conversation = (id: string, customerText: string) => ({
  id,
  channel: 'call',
  startedAt: '2026-10-15T10:00:00+08:00',
  utterances: [
    { speaker: 'agent', text: '您好', startMs: 0, endMs: 800 },
    { speaker: 'customer', text: customerText, startMs: 900, endMs: 2500 },
  ],
});

/** 信用卡年费太贵了 in GBK, as a Windows tool in a Chinese locale writes it. */
const GBK_TEXT = Buffer.from('d0c5d3c3bfa8c4eab7d1ccabb9f3c1cb', 'hex');

const BOUNDARY = 'voc-test-boundary';
const part = (name: string, value: string, filename?: string): string =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;
const TRANSCRIPT = '坐席：您好\n客户：我想问一下信用卡年费\n';

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`malformed uploads answer 4xx with a JSON error that says what is wrong (${mode})`, function () {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    const post = (body: BodyInit, contentType?: string, query = '') =>
      svc.request(`/v1/conversations${query}`, {
        role: 'ingest',
        method: 'POST',
        headers: contentType ? { 'content-type': contentType } : {},
        body,
      });

    async function expectError(response: Response, status: number, code: string, message: RegExp) {
      const text = await response.text();
      assert.equal(response.status, status, text);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const body = JSON.parse(text) as ErrorBody;
      assert.equal(body.error.code, code, text);
      assert.match(body.error.message + JSON.stringify(body.error.details), message);
      assert.ok(body.error.requestId);
      return body;
    }

    it('multipart without a boundary: 400 naming the boundary', async () => {
      await expectError(
        await post(part('file', TRANSCRIPT, 'a.txt'), 'multipart/form-data'),
        400,
        'invalid_multipart',
        /boundary/i,
      );
    });

    it('a truncated multipart body: 400 saying it ended early', async () => {
      const truncated = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n坐席：您好`;
      await expectError(
        await post(truncated, `multipart/form-data; boundary=${BOUNDARY}`),
        400,
        'invalid_multipart',
        /ended|truncated|end of/i,
      );
    });

    it('a multipart part with a malformed header: 400', async () => {
      const body = `--${BOUNDARY}\r\nContent-Disposition form-data name=file\r\n${'x'.repeat(20_000)}\r\n\r\nabc\r\n--${BOUNDARY}--\r\n`;
      await expectError(
        await post(body, `multipart/form-data; boundary=${BOUNDARY}`),
        400,
        'invalid_multipart',
        /multipart/i,
      );
    });

    it('too many fields: 400 naming the limit', async () => {
      let body = '';
      for (let i = 0; i < 40; i++) body += part(`f${i}`, 'x');
      body += part('file', TRANSCRIPT, 'a.txt') + `--${BOUNDARY}--\r\n`;
      await expectError(
        await post(
          body,
          `multipart/form-data; boundary=${BOUNDARY}`,
          '?startedAt=2026-10-20T09:00:00%2B08:00',
        ),
        400,
        'invalid_multipart',
        /fields/i,
      );
    });

    it('an over-long field value and an over-long field name: 400 naming the field', async () => {
      const longValue =
        part('note', 'x'.repeat(1024 * 1024 + 10)) +
        part('file', TRANSCRIPT, 'a.txt') +
        `--${BOUNDARY}--\r\n`;
      await expectError(
        await post(longValue, `multipart/form-data; boundary=${BOUNDARY}`),
        400,
        'invalid_multipart',
        /note/,
      );
      const longName = part('n'.repeat(300), 'x') + part('file', TRANSCRIPT, 'a.txt') + `--${BOUNDARY}--\r\n`;
      await expectError(
        await post(longName, `multipart/form-data; boundary=${BOUNDARY}`),
        400,
        'invalid_multipart',
        /name/i,
      );
    });

    it('unsupported content types: 415 naming the type and the accepted ones', async () => {
      const json = JSON.stringify(conversation('ct-1', '你好'));
      for (const type of [
        'application/xml',
        'application/octet-stream',
        'multipart/mixed; boundary=x',
        'image/png',
      ]) {
        const body = await expectError(
          await post(json, type),
          415,
          'unsupported_media_type',
          /application\/json/,
        );
        assert.ok(body.error.message.includes(type.split(';')[0]!), body.error.message);
      }
      await expectError(await post(Buffer.from(json)), 415, 'unsupported_media_type', /\(none\)/);
    });

    it('a JSON body in GBK (charset=gbk) is decoded, not stored as mojibake', async () => {
      const before = Buffer.from(JSON.stringify(conversation('gbk-json-1', '@@')));
      const at = before.indexOf('@@');
      const body = Buffer.concat([before.subarray(0, at), GBK_TEXT, before.subarray(at + 2)]);
      const response = await post(body, 'application/json; charset=gbk');
      assert.equal(response.status, 202, await response.clone().text());
      const stored = await eventually(
        async () => svc.request('/v1/conversations/gbk-json-1', { role: 'analyst' }),
        (r) => r.status === 200,
      );
      const doc = (await stored.json()) as { utterances: { text: string }[] };
      assert.equal(doc.utterances[1]!.text, '信用卡年费太贵了');
    });

    it('NDJSON in GB18030 is decoded too; a charset nobody exports is refused with 415', async () => {
      const line = Buffer.from(JSON.stringify(conversation('gbk-ndjson-1', '@@')));
      const at = line.indexOf('@@');
      const body = Buffer.concat([line.subarray(0, at), GBK_TEXT, line.subarray(at + 2), Buffer.from('\n')]);
      const response = await post(body, 'application/x-ndjson; charset=GB18030');
      assert.equal(response.status, 202, await response.clone().text());
      await expectError(
        await post(JSON.stringify(conversation('koi-1', '你好')), 'application/json; charset=koi8-r'),
        415,
        'unsupported_charset',
        /koi8-r/,
      );
    });

    it('invalid UTF-8 in a JSON or NDJSON body: 400 naming the byte offset', async () => {
      const good = Buffer.from(JSON.stringify(conversation('bad-utf8-1', '@@')));
      const at = good.indexOf('@@');
      const body = Buffer.concat([good.subarray(0, at), GBK_TEXT, good.subarray(at + 2)]);
      const json = await expectError(await post(body, 'application/json'), 400, 'invalid_encoding', /UTF-8/);
      assert.match(json.error.message, new RegExp(`byte ${at}\\b`));
      assert.equal(json.error.details[0]?.where, `byte ${at}`);
      const ndjson = await expectError(
        await post(Buffer.concat([body, Buffer.from('\n')]), 'application/x-ndjson; charset=utf-8'),
        400,
        'invalid_encoding',
        new RegExp(`byte ${at}\\b`),
      );
      assert.match(ndjson.error.message, /charset=gbk/);
    });

    it('invalid UTF-8 in the JSON body of a search: 400 naming the byte offset, not a search for U+FFFD', async () => {
      const body = Buffer.concat([Buffer.from('{"q":"'), GBK_TEXT, Buffer.from('"}')]);
      const response = await svc.request('/v1/search', {
        role: 'analyst',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await expectError(response, 400, 'invalid_encoding', /byte 6\b/);
    });
  });
}
