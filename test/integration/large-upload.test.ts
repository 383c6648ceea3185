/**
 * A large upload is parsed and redacted in a worker thread (src/ingest/parse-off-thread.ts), so the
 * API keeps answering while it runs. The API runs alone here (distributed mode, no worker in the
 * process): what is observed is the upload path, not the analysis that follows it (that is
 * upload-event-loop.test.ts, embedded mode).
 *
 * Asserted is the event-loop delay this process measured in itself (the service runs in the test's
 * process), not /healthz wall-clock times, which a shared loaded machine stretches at random: parsing
 * and redacting this 5 MB upload on the event loop holds it for longer than the bound in one stretch
 * (about 1 s to parse, 1 s to redact), so the test fails when the work runs inline. /healthz times
 * are measured by `npm run bench:upload`.
 */
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let inFlight = true;
    const upload = svc
      .request('/v1/conversations', { role: 'ingest', method: 'POST', body: form })
      .finally(() => (inFlight = false));
    let answers = 0;
    while (inFlight) {
      const status = await fetch(`${svc.url}/healthz`).then((r) => r.status);
      if (inFlight) {
        assert.equal(status, 200);
        answers++;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    loop.disable();
    const response = await upload;
    const body = (await response.json()) as { accepted: number; jobs: unknown[] };
    assert.equal(response.status, 202, JSON.stringify(body).slice(0, 500));
    assert.equal(body.accepted, CONVERSATIONS);
    assert.equal(body.jobs.length, Math.ceil(CONVERSATIONS / svc.config.jobs.batchSize));
    assert.ok(answers >= 10, `only ${answers} /healthz answers during the upload`);
    const stalled = loop.max / 1e6;
    assert.ok(stalled < 1000, `the event loop stalled for ${Math.round(stalled)} ms in one stretch`);
  });
});
