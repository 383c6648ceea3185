/** A service on real Elasticsearch + Redis, loaded with generated demo conversations through the API. */
import { generateConversations } from '../../pipelines/demo-data/generate.js';
import { eventually, startTestService, type Mode, type TestService } from '../helpers/test-service.js';

export async function startDemoService(mode: Mode, count: number): Promise<TestService> {
  const svc = await startTestService(mode);
  const conversations = [...generateConversations({ count, seed: 7 })];
  for (let i = 0; i < conversations.length; i += 100) {
    const response = await svc.request('/v1/conversations', {
      role: 'ingest',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(conversations.slice(i, i + 100)),
    });
    if (response.status !== 202)
      throw new Error(`upload failed: ${response.status} ${await response.text()}`);
  }
  await eventually(
    async () => {
      await svc.service.container.stores.conversations.refresh();
      return svc.service.container.stores.conversations.count();
    },
    (n) => n >= count,
    240_000,
  );
  return svc;
}
