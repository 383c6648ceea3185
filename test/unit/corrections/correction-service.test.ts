import assert from 'node:assert/strict';
import { CorrectionService } from '../../../src/corrections/correction-service.js';
import { AppError, NotFoundError, ValidationError } from '../../../src/errors.js';
import { createMemoryStores, type MemoryStores } from '../../../src/storage/memory/memory-stores.js';
import { storedConversation } from './fixtures.js';

describe('CorrectionService', () => {
  let stores: MemoryStores;
  let reanalysing: boolean;
  let service: CorrectionService;
  const actor = { id: 'key-1', name: '质检 王' };

  beforeEach(async () => {
    stores = createMemoryStores();
    reanalysing = false;
    service = new CorrectionService({
      conversations: stores.conversations,
      corrections: stores.corrections,
      audit: stores.audit,
      reanalysing: () => reanalysing,
    });
    await stores.conversations.upsertMany([storedConversation('c-1')]);
  });

  it('stores a removal with labels before and after, versions, key name and redacted text, and applies it', async () => {
    const { correction, analysis } = await service.record({
      conversationId: 'c-1',
      utterance: 1,
      label: 'switching:cmb',
      action: 'remove',
      actor,
    });
    assert.deepEqual(correction.labelsBefore, [
      'competitor:cmb',
      'complaint',
      'complaint:fees',
      'switching:cmb',
    ]);
    assert.deepEqual(correction.labelsAfter, ['competitor:cmb', 'complaint', 'complaint:fees']);
    assert.deepEqual(correction.versions, storedConversation('c-1').versions);
    assert.equal(correction.actorName, '质检 王');
    assert.equal(correction.text, '你们的年费太贵了,我打算去招行办');
    assert.equal(analysis.competitors[0]?.switchingIntent, false);
    const stored = await stores.conversations.get('c-1');
    assert.deepEqual(stored?.analysis, analysis);
    assert.deepEqual((await stores.corrections.list({ limit: 10 })).items, [correction]);
  });

  it('makes an added label findable by the label filters and stores the text redacted', async () => {
    const { correction } = await service.record({
      conversationId: 'c-1',
      utterance: 2,
      label: 'lifeEvent:retirement',
      action: 'add',
      actor,
    });
    assert.equal(correction.text.includes('13812345678'), false, correction.text);
    assert.match(correction.text, /5678$/);
    const page = await stores.conversations.search({
      tokens: [],
      sort: 'time',
      limit: 5,
      filters: { lifeEvents: ['retirement'] },
      facets: true,
    });
    assert.deepEqual(
      page.hits.map((h) => h.id),
      ['c-1'],
    );
    assert.deepEqual(page.facets?.lifeEvent, [{ value: 'retirement', count: 1 }]);
    const evidence = page.hits[0]?.document.analysis.evidence.find((e) => e.label === 'lifeEvent:retirement');
    assert.deepEqual(evidence, {
      label: 'lifeEvent:retirement',
      utterance: 2,
      start: 0,
      end: correction.text.length,
    });
  });

  it('writes every correction to the audit log', async () => {
    const { correction } = await service.record({
      conversationId: 'c-1',
      utterance: 1,
      label: 'complaint:fees',
      action: 'remove',
      actor,
    });
    const [entry] = await stores.audit.list(10);
    assert.equal(entry?.action, 'correction');
    assert.equal(entry?.actorName, '质检 王');
    assert.deepEqual(entry?.query, {
      conversationId: 'c-1',
      utterance: 1,
      label: 'complaint:fees',
      action: 'remove',
      correctionId: correction.id,
    });
  });

  it('refuses an unknown conversation (404), an agent or missing utterance (400), an unknown label (400)', async () => {
    const base = { utterance: 1, label: 'need:pension', action: 'add' as const, actor };
    await assert.rejects(service.record({ ...base, conversationId: 'nope' }), NotFoundError);
    await assert.rejects(service.record({ ...base, conversationId: 'c-1', utterance: 0 }), (e: unknown) => {
      assert.ok(e instanceof ValidationError);
      assert.match(e.message, /agent/);
      return true;
    });
    await assert.rejects(service.record({ ...base, conversationId: 'c-1', utterance: 3 }), ValidationError);
    await assert.rejects(
      service.record({ ...base, conversationId: 'c-1', label: 'need:crypto' }),
      ValidationError,
    );
    assert.equal((await stores.corrections.list({ limit: 10 })).items.length, 0);
    assert.equal((await stores.audit.list(10)).length, 0);
  });

  it('answers 409 for adding a present label, removing an absent one, and during a re-analysis', async () => {
    const conflict = (e: unknown) => e instanceof AppError && e.status === 409;
    const base = { conversationId: 'c-1', utterance: 1, actor };
    await assert.rejects(service.record({ ...base, label: 'competitor:cmb', action: 'add' }), conflict);
    await assert.rejects(service.record({ ...base, label: 'need:pension', action: 'remove' }), conflict);
    reanalysing = true;
    await assert.rejects(service.record({ ...base, label: 'need:pension', action: 'add' }), conflict);
  });

  it('serialises corrections of one conversation, so none is lost', async () => {
    const labels = [
      'need:pension',
      'need:deposit',
      'lifeEvent:retirement',
      'need:insurance',
      'complaint:wait_time',
    ];
    await Promise.all(
      labels.map((label) =>
        service.record({ conversationId: 'c-1', utterance: 2, label, action: 'add', actor }),
      ),
    );
    const stored = await stores.conversations.get('c-1');
    assert.deepEqual(stored?.analysis.needs, ['pension', 'deposit', 'insurance']);
    assert.deepEqual(stored?.analysis.complaint.categories, ['fees', 'wait_time']);
    const items = (await stores.corrections.list({ limit: 10 })).items;
    assert.equal(new Set(items.map((c) => c.at)).size, labels.length, 'distinct, ordered times');
  });

  it('re-applies earlier corrections whose write to the analysis was lost', async () => {
    await service.record({
      conversationId: 'c-1',
      utterance: 1,
      label: 'complaint:fees',
      action: 'remove',
      actor,
    });
    await stores.conversations.upsertMany([storedConversation('c-1')]); // e.g. a lost write, or a re-upload
    const { correction, analysis } = await service.record({
      conversationId: 'c-1',
      utterance: 2,
      label: 'need:pension',
      action: 'add',
      actor,
    });
    assert.equal(correction.labelsBefore.includes('complaint:fees'), false);
    assert.deepEqual(analysis.complaint.categories, []);
  });

  it('lists, estimates quality and exports the corrected conversations', async () => {
    await stores.conversations.upsertMany([storedConversation('c-2')]);
    await service.record({
      conversationId: 'c-1',
      utterance: 1,
      label: 'switching:cmb',
      action: 'remove',
      actor,
    });
    await service.record({
      conversationId: 'c-2',
      utterance: 2,
      label: 'lifeEvent:retirement',
      action: 'add',
      actor,
    });
    assert.deepEqual(
      (await service.list({ limit: 10, label: 'lifeEvent:retirement' })).items.map((c) => c.conversationId),
      ['c-2'],
    );
    const quality = await service.quality();
    assert.equal(quality.conversationsReviewed, 2);
    const cmb = quality.labels.find((l) => l.label === 'switching:cmb');
    assert.deepEqual([cmb?.tp, cmb?.fp, cmb?.precision], [1, 1, 0.5]);
    const missing: string[] = [];
    const items = [];
    for await (const item of service.evaluationItems((id) => missing.push(id))) items.push(item);
    assert.deepEqual(
      items.map((i) => i.conversation.id),
      ['c-1', 'c-2'],
    );
    assert.deepEqual(items[0]?.expected, {
      complaint: true,
      categories: ['fees'],
      escalation: [],
      competitors: [{ id: 'cmb', aspects: [], switchingIntent: false }],
      needs: [],
      declinedNeeds: [],
      lifeEvents: [],
    });
    assert.deepEqual(items[1]?.expected.lifeEvents, ['retirement']);
    assert.deepEqual(items[1]?.conversation, storedConversation('c-2').conversation);
    assert.deepEqual(missing, []);
  });
});
