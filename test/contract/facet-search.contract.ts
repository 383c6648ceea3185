/**
 * Disjunctive facets every ConversationStore must share: OR within a facet, AND across facets,
 * and each selected facet counted without its own selection. Called from the store contract.
 */
import assert from 'node:assert/strict';
import type { Analysis } from '../../src/domain/analysis.js';
import type { ProcessedConversation } from '../../src/domain/processed-conversation.js';
import type { ConversationQuery, ConversationStore } from '../../src/storage/types.js';
import { processedConversation } from './conversation-store.contract.js';

function doc(
  id: string,
  agentId: string,
  channel: 'call' | 'chat',
  analysis: Partial<Analysis>,
): ProcessedConversation {
  const d = processedConversation(id, { channel, startedAt: '2026-11-03T10:00:00+08:00' });
  d.conversation.agentId = agentId;
  d.analysis = { ...d.analysis, ...analysis };
  return d;
}

const complaint = (...categories: Analysis['complaint']['categories']): Partial<Analysis> => ({
  complaint: { is: true, categories, escalation: [] },
});

export function describeFacetContract(getStore: () => ConversationStore): void {
  describe('disjunctive facets', () => {
    beforeEach(async () => {
      await getStore().upsertMany([
        doc('f1', 'a-001', 'call', {
          ...complaint('fees'),
          competitors: [{ id: 'cmb', aspects: ['fee'], switchingIntent: true }],
        }),
        doc('f2', 'a-001', 'chat', {
          ...complaint('wait_time'),
          competitors: [{ id: 'icbc', aspects: [], switchingIntent: false }],
        }),
        doc('f3', 'a-002', 'call', {
          ...complaint('fees', 'wait_time'),
          competitors: [{ id: 'icbc', aspects: [], switchingIntent: true }],
        }),
        doc('f4', 'a-002', 'call', { competitors: [{ id: 'cmb', aspects: [], switchingIntent: false }] }),
      ]);
      await getStore().refresh();
    });
    const search = (query: Partial<ConversationQuery>): ReturnType<ConversationStore['search']> =>
      getStore().search({ tokens: [], sort: 'time', limit: 10, facets: true, histogram: 'day', ...query });
    const ids = async (query: Partial<ConversationQuery>): Promise<string[]> =>
      (await search(query)).hits.map((h) => h.id).sort();

    it('keeps the other values of a selected facet with the counts they would add', async () => {
      const page = await search({ filters: { complaintCategories: ['fees'] } });
      assert.equal(page.total, 2);
      assert.deepEqual(page.histogram, [{ key: '2026-11-03', count: 2 }]);
      assert.deepEqual(page.facets?.complaintCategory, [
        { value: 'fees', count: 2 },
        { value: 'wait_time', count: 2 },
      ]);
      // other facets count over the narrowed result
      assert.deepEqual(page.facets?.competitor, [
        { value: 'cmb', count: 1 },
        { value: 'icbc', count: 1 },
      ]);
      assert.deepEqual(page.facets?.agent, [
        { value: 'a-001', count: 1 },
        { value: 'a-002', count: 1 },
      ]);
    });

    it('ORs values within a facet and ANDs facets, each counted without its own selection', async () => {
      const filters = { competitors: ['cmb' as const, 'icbc' as const], agentIds: ['a-002'] };
      assert.deepEqual(await ids({ filters }), ['f3', 'f4']);
      const page = await search({ filters, channel: 'call' });
      assert.equal(page.total, 2);
      // competitor counts: agent a-002 and call, any competitor
      assert.deepEqual(page.facets?.competitor, [
        { value: 'cmb', count: 1 },
        { value: 'icbc', count: 1 },
      ]);
      // agent counts: cmb or icbc, call, any agent
      assert.deepEqual(page.facets?.agent, [
        { value: 'a-002', count: 2 },
        { value: 'a-001', count: 1 },
      ]);
      // channel counts: cmb or icbc, a-002, any channel
      assert.deepEqual(page.facets?.channel, [{ value: 'call', count: 2 }]);
      assert.deepEqual(page.facets?.complaintCategory, [
        { value: 'fees', count: 1 },
        { value: 'wait_time', count: 1 },
      ]);
    });

    it('filters switching intent by competitor, apart from the competitor filter', async () => {
      assert.deepEqual(await ids({ filters: { switchingCompetitors: ['cmb'] } }), ['f1']);
      assert.deepEqual(await ids({ filters: { switchingCompetitors: ['cmb', 'icbc'] } }), ['f1', 'f3']);
      const page = await search({ filters: { switchingCompetitors: ['cmb'] } });
      assert.deepEqual(page.facets?.switchingIntent, [
        { value: 'cmb', count: 1 },
        { value: 'icbc', count: 1 },
      ]);
      assert.deepEqual(page.facets?.competitor, [{ value: 'cmb', count: 1 }]);
    });
  });
}
