import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseUpload } from '../../src/ingest/formats/index.js';
import { createIdPseudonymiser, embeddedIdSecret } from '../../src/ingest/id-pseudonymiser.js';
import { redactConversation } from '../../src/pipeline/redact/index.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'formats');
const STARTED_AT = '2026-10-10T09:00:00+08:00';
const files = fs.readdirSync(FIXTURES).sort();

for (const mode of ['embedded', 'distributed'] as Mode[]) {
  describe(`one file of each format becomes searchable (${mode})`, function () {
    let svc: TestService;
    before(async () => {
      svc = await startTestService(mode);
    });
    after(async () => svc?.stop());

    for (const file of files) {
      it(file, async () => {
        const content = fs.readFileSync(path.join(FIXTURES, file));
        const expected = parseUpload(content, { filename: file, defaults: { startedAt: STARTED_AT } });
        assert.ok(expected.conversations.length > 0, `fixture ${file} parses`);

        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(content)]), file);
        const response = await svc.request(`/v1/conversations?startedAt=${encodeURIComponent(STARTED_AT)}`, {
          role: 'ingest',
          method: 'POST',
          body: form,
        });
        const body = (await response.json()) as { accepted: number; jobs: { id: string }[] };
        assert.equal(response.status, 202, JSON.stringify(body));
        assert.equal(body.accepted, new Set(expected.conversations.map((c) => c.id)).size);

        const pseudonymiseId = createIdPseudonymiser(
          svc.config.idHashSecret ?? embeddedIdSecret(svc.dataDir),
        );
        for (const original of expected.conversations) {
          const conversation = redactConversation(original, { pseudonymiseId }).conversation;
          const stored = await eventually(
            async () =>
              svc.request(`/v1/conversations/${encodeURIComponent(conversation.id)}`, { role: 'analyst' }),
            (r) => r.status === 200,
          );
          const doc = (await stored.json()) as { utterances: unknown[] };
          assert.equal(doc.utterances.length, conversation.utterances.length);
          // Search by the longest word of the longest customer (or any) utterance.
          const text = [...conversation.utterances].sort((a, b) => b.text.length - a.text.length)[0]!.text;
          const word = svc.service.container
            .pipeline()
            .segmentQuery(text)
            .sort((a, b) => b.length - a.length)[0]!;
          const found = await eventually(
            async () =>
              (await (
                await svc.request(`/v1/search?q=${encodeURIComponent(word)}&limit=100`, { role: 'analyst' })
              ).json()) as {
                hits: { id: string }[];
              },
            (result) => result.hits.some((h) => h.id === conversation.id),
          );
          assert.ok(found.hits.length > 0);
        }
      });
    }
  });
}
