import assert from 'node:assert/strict';
import type { AnalysisService } from '../../../src/analysis/analysis-service.js';
import { CorrectionService } from '../../../src/corrections/correction-service.js';
import type { Conversation } from '../../../src/domain/conversation.js';
import { ReanalysisService } from '../../../src/reanalysis/reanalysis-service.js';
import { createMemoryStores } from '../../../src/storage/memory/memory-stores.js';
import { memoryLogger } from '../../helpers/silent-logger.js';
import { storedConversation } from '../corrections/fixtures.js';

/** An engine that always finds the fee complaint and cmb with switching intent, at a given version. */
function fakeEngine(taxonomy: string): AnalysisService {
  const doc = storedConversation('x');
  return {
    versions: { ...doc.versions, taxonomy },
    analyseMany: async (conversations: Conversation[]) =>
      conversations.map((c) => ({
        tokens: doc.tokens,
        analysis: { ...structuredClone(doc.analysis), id: c.id },
        utteranceSentiment: c.utterances.map(() => null),
      })),
  } as unknown as AnalysisService;
}

describe('re-analysis keeps corrections', () => {
  it('re-applies stored corrections after re-analysing, and the dry run counts them as kept', async () => {
    const stores = createMemoryStores();
    await stores.conversations.upsertMany([storedConversation('c-1'), storedConversation('c-2')]);
    const corrections = new CorrectionService({
      conversations: stores.conversations,
      corrections: stores.corrections,
      audit: stores.audit,
      reanalysing: () => false,
    });
    const actor = { id: 'k', name: 'analyst' };
    await corrections.record({
      conversationId: 'c-1',
      utterance: 1,
      label: 'competitor:cmb',
      action: 'remove',
      actor,
    });
    await corrections.record({
      conversationId: 'c-1',
      utterance: 2,
      label: 'lifeEvent:retirement',
      action: 'add',
      actor,
    });
    let engine = fakeEngine('t2');
    const reanalysis = new ReanalysisService(
      stores.conversations,
      async () => engine,
      memoryLogger().logger,
      stores.corrections,
    );

    const dry = await reanalysis.dryRun();
    assert.equal(dry.changed, 0, JSON.stringify(dry.labels));

    const done = await reanalysis.run({ force: false });
    assert.equal(done.rewritten, 2);
    const c1 = await stores.conversations.get('c-1');
    assert.equal(c1?.versions.taxonomy, 't2');
    assert.deepEqual(c1?.analysis.competitors, []);
    assert.deepEqual(c1?.analysis.lifeEvents, ['retirement']);
    assert.equal(
      c1?.analysis.evidence.some((e) => e.label === 'competitor:cmb'),
      false,
    );
    const c2 = await stores.conversations.get('c-2');
    assert.deepEqual(
      c2?.analysis.competitors.map((c) => c.id),
      ['cmb'],
      'uncorrected conversations are left alone',
    );

    // A current conversation whose correction never reached the stored analysis is healed too.
    await stores.conversations.upsertMany([{ ...storedConversation('c-1'), versions: engine.versions }]);
    engine = fakeEngine('t2');
    await reanalysis.run({ force: false });
    assert.deepEqual((await stores.conversations.get('c-1'))?.analysis.lifeEvents, ['retirement']);
  });
});
