import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Conversation } from '../../../src/domain/conversation.js';
import {
  COMPETITOR_IDS,
  COMPLAINT_CATEGORIES,
  ESCALATIONS,
  LIFE_EVENTS,
  NEEDS,
} from '../../../src/domain/labels.js';
import { createPipeline, PIPELINE_VERSION } from '../../../src/pipeline/run-pipeline.js';
import { createSegmenter } from '../../../src/pipeline/segment/segmenter.js';

const pipeline = createPipeline({ homeInstitution: { id: 'home', names: ['安泰银行'] } });

const conversation: Conversation = {
  id: 'c-1',
  channel: 'call',
  startedAt: '2026-11-01T10:00:00+08:00',
  utterances: [
    { speaker: 'agent', text: '您好，安泰银行信用卡中心，请问有什么可以帮您？' },
    { speaker: 'customer', text: '嗯那个你們的年費太貴了！招航的信用卡都免年費' },
    { speaker: 'system', text: '请稍候' },
    { speaker: 'customer', text: '我我我想問一下大額存單現在利率多少' },
  ],
};

describe('run-pipeline', () => {
  it('returns one token list per utterance, of normalised text, without punctuation', () => {
    const { tokens } = pipeline.process(conversation);
    assert.equal(tokens.length, 4);
    assert.ok(tokens[3]?.includes('大额存单'));
    assert.ok(tokens.every((ws) => ws.every((w) => !/^[\s\p{P}]+$/u.test(w))));
    assert.ok(!tokens[1]?.includes('嗯'), 'fillers are not indexed');
  });

  it('remembers utterance texts, but segments them again once jieba learns words', () => {
    const said = (text: string): Conversation => ({
      ...conversation,
      utterances: [{ speaker: 'customer', text }],
    });
    const first = pipeline.process(said('我想开通霁月添利宝产品'));
    assert.ok(!first.tokens[0]?.includes('霁月添利宝'));
    first.tokens[0]?.push('mutated');
    assert.deepEqual(pipeline.process(said('我想开通霁月添利宝产品')).tokens, [
      first.tokens[0]?.slice(0, -1),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'voc-dict-'));
    try {
      // another segmenter's dictionary: jieba is one per process
      writeFileSync(join(dir, 'a.dict'), '霁月添利宝 20000 nz\n');
      createSegmenter(dir);
      assert.ok(pipeline.process(said('我想开通霁月添利宝产品')).tokens[0]?.includes('霁月添利宝'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('segments a query like the index', () => {
    assert.deepEqual(pipeline.segmentQuery('大額存單'), ['大额存单']);
    assert.deepEqual(pipeline.segmentQuery('就是'), ['就是'], 'a query of filler words is still a query');
  });

  it('analyses with label ids of the contract and evidence in ORIGINAL offsets of customer utterances', () => {
    const { analysis, utteranceSentiment } = pipeline.process(conversation);
    assert.equal(analysis.id, 'c-1');
    assert.deepEqual(analysis.complaint.categories, ['fees']);
    assert.deepEqual(
      analysis.competitors.map((c) => c.id),
      ['cmb'],
    );
    assert.deepEqual(analysis.needs, ['deposit']);
    for (const c of analysis.complaint.categories)
      assert.ok((COMPLAINT_CATEGORIES as readonly string[]).includes(c));
    for (const e of analysis.complaint.escalation) assert.ok((ESCALATIONS as readonly string[]).includes(e));
    for (const c of analysis.competitors) assert.ok((COMPETITOR_IDS as readonly string[]).includes(c.id));
    for (const n of [...analysis.needs, ...analysis.declinedNeeds])
      assert.ok((NEEDS as readonly string[]).includes(n));
    for (const l of analysis.lifeEvents) assert.ok((LIFE_EVENTS as readonly string[]).includes(l));
    const shown = analysis.evidence.map((e) => [
      e.label,
      conversation.utterances[e.utterance]?.text.slice(e.start, e.end),
    ]);
    assert.deepEqual(shown, [
      ['complaint:fees', '年費太貴'],
      ['competitor:cmb', '招航'],
      ['need:deposit', '大額存單'],
    ]);
    for (const e of analysis.evidence)
      assert.equal(conversation.utterances[e.utterance]?.speaker, 'customer');
    assert.deepEqual(
      utteranceSentiment.map((s) => s === null),
      [true, false, true, false],
    );
    assert.ok(analysis.sentiment.customer < 0);
  });

  it('every label carries evidence', () => {
    const { analysis: a } = pipeline.process(conversation);
    const labels = [
      ...a.complaint.categories.map((c) => `complaint:${c}`),
      ...a.complaint.escalation.map((e) => `escalation:${e}`),
      ...a.competitors.map((c) => `competitor:${c.id}`),
      ...a.needs.map((n) => `need:${n}`),
      ...a.declinedNeeds.map((n) => `declinedNeed:${n}`),
      ...a.lifeEvents.map((l) => `lifeEvent:${l}`),
    ];
    for (const label of labels)
      assert.ok(
        a.evidence.some((e) => e.label === label),
        label,
      );
  });

  it('records the versions that produced an analysis', () => {
    const v = pipeline.versions;
    assert.equal(v.pipeline, PIPELINE_VERSION);
    assert.match(v.taxonomy, /^[0-9a-f]{12}$/);
    assert.match(v.dictionary, /^[0-9a-f]{12}$/);
    assert.equal(typeof v.model, 'string');
  });

  it('handles an empty conversation', () => {
    const { tokens, analysis } = pipeline.process({ ...conversation, utterances: [] });
    assert.deepEqual(tokens, []);
    assert.equal(analysis.complaint.is, false);
  });
});
