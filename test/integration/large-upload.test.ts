/**
 * A large upload is parsed and redacted in a worker thread (src/ingest/parse-off-thread.ts), so the
 * API keeps answering while it runs. The API runs alone here (distributed mode, no worker in the
 * process): what is observed is the upload path, not the analysis that follows it.
 *
 * The bound: the issue asks for /healthz within 100 ms during a 50 MB upload on a service machine.
 * This machine is shared by several test runs, so single answers take up to ~600 ms under load
 * (p50 ~15 ms measured). The bound below is 1,500 ms: parsing and redacting this 5 MB upload on the
 * event loop blocks it for longer than that in one stretch here (about 1 s to parse, 1 s to redact),
 * so the test fails when the work runs inline, and passes with room for a loaded machine when it
 * does not. Timings proper belong to benchmarks, not tests.
 */
import assert from 'node:assert/strict';
import { startTestService, type TestService } from '../helpers/test-service.js';

const CONVERSATIONS = 10_000;

function ndjson(): Buffer {
  const lines: string[] = [];
  for (let n = 0; n < CONVERSATIONS; n++) {
    lines.push(
      JSON.stringify({
        id: `big-${n}`,
        channel: 'call',
        startedAt: '2026-11-01T10:00:00+08:00',
        utterances: [
          { speaker: 'agent', text: '您好，这里是客服中心，请问有什么可以帮您' },
          {
            speaker: 'customer',
            text: `我的信用卡年费怎么又扣了，我的手机号是1381234${String(n % 10000).padStart(4, '0')}`,
          },
          { speaker: 'agent', text: '您好，我帮您查询一下年费减免的达标情况，请稍等' },
          {
            speaker: 'customer',
            text: '再这样我就把卡销了，去招行办一张，你们的服务太差了，等了半个小时才接通',
          },
        ],
      }),
    );
  }
  return Buffer.from(lines.join('\n'));
}

describe('a large upload leaves the API answering (distributed, API alone)', function () {
  let svc: TestService;
  before(async () => {
    svc = await startTestService('distributed', {}, ['api']);
  });
  after(async () => svc?.stop());

  it('answers /healthz all along a 5 MB upload, which is parsed and redacted off the event loop', async () => {
    const content = ndjson();
    assert.ok(content.length > 5_000_000, `${content.length} bytes`);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), 'night.ndjson');
    let inFlight = true;
    const upload = svc
      .request('/v1/conversations', { role: 'ingest', method: 'POST', body: form })
      .finally(() => (inFlight = false));
    const answers: number[] = [];
    while (inFlight) {
      const start = performance.now();
      const status = await fetch(`${svc.url}/healthz`).then((r) => r.status);
      if (inFlight) {
        assert.equal(status, 200);
        answers.push(performance.now() - start);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    const response = await upload;
    const body = (await response.json()) as { accepted: number; jobs: unknown[] };
    assert.equal(response.status, 202, JSON.stringify(body).slice(0, 500));
    assert.equal(body.accepted, CONVERSATIONS);
    assert.equal(body.jobs.length, Math.ceil(CONVERSATIONS / svc.config.jobs.batchSize));
    assert.ok(answers.length >= 10, `only ${answers.length} /healthz answers during the upload`);
    const slowest = Math.max(...answers);
    assert.ok(slowest < 1500, `a /healthz answer took ${Math.round(slowest)} ms during the upload`);
  });
});
