import assert from 'node:assert/strict';
import { emptyAnalysis } from '../../../src/domain/analysis.js';
import type { ProcessedConversation } from '../../../src/domain/processed-conversation.js';
import { findEmerging } from '../../../src/reports/emerging.js';
import { pickQuotes, quoteCandidates } from '../../../src/reports/quotes.js';
import { loadReportVocabulary } from '../../../src/reports/vocabulary.js';
import { DEFAULT_MODELS_DIR } from '../../../src/pipeline/run-pipeline.js';

const vocabulary = loadReportVocabulary(DEFAULT_MODELS_DIR);

/** Agent greets, then the customer sentences; evidence of `label` on every customer sentence holding `at`. */
function doc(id: string, customer: string[], tokens: string[][] = [], evidence: [string, string][] = []) {
  const utterances = [
    { speaker: 'agent' as const, text: '您好，招商银行的活动我可以给您介绍' },
    ...customer.map((text) => ({ speaker: 'customer' as const, text })),
  ];
  const analysis = emptyAnalysis(id);
  analysis.competitors = [{ id: 'cmb', aspects: [], switchingIntent: id.startsWith('s') }];
  for (const [label, at] of evidence)
    utterances.forEach((u, i) => {
      const start = u.text.indexOf(at);
      if (u.speaker === 'customer' && start >= 0)
        analysis.evidence.push({ label, utterance: i, start, end: start + at.length });
    });
  // the agent's sentence names 招商银行 too, with evidence the analysis would never give: never quoted
  analysis.evidence.push({ label: 'competitor:cmb', utterance: 0, start: 3, end: 7 });
  const d: ProcessedConversation = {
    conversation: { id, channel: 'call', startedAt: '2026-11-02T10:00:00+08:00', utterances },
    tokens: [['您好'], ...tokens],
    analysis,
    versions: { pipeline: 'p', taxonomy: 't', dictionary: 'd', model: 'm' },
    processedAt: '2026-11-02T10:00:00Z',
  };
  return d;
}

describe('report quotes', () => {
  it('groups customer sentences by what they say and takes the typical one of each group', () => {
    const cmb = (id: string, text: string) => doc(id, [text], [], [['competitor:cmb', '招商银行']]);
    const docs = [
      cmb('a1', '招商银行利率高'),
      cmb('a2', '招商银行的定期利率比你们高'),
      cmb('a3', '招商银行三年定期的利率比你们高了差不多零点三个点而且还能提前支取'),
      cmb('a4', '招商银行的定期利率比你们高!'),
      cmb('b1', '招商银行的APP好用'),
      cmb('s1', '我已经去招商银行开户了'),
      cmb('c1', '手机号13812345678招商银行的年费全免'),
    ];
    const quotes = pickQuotes(quoteCandidates('cmb', docs, vocabulary), 3);
    assert.deepEqual(
      quotes.map((q) => [q.group, q.groupSize, q.conversationId]),
      [
        ['rate', 3, 'a2'],
        ['app_experience', 1, 'b1'],
        ['fee', 1, 'c1'],
      ],
    );
    assert.ok(
      quotes.every((q) => q.utterance === 1),
      'never the agent sentence',
    );
    assert.equal(quotes[2]?.text, '手机号*******5678招商银行的年费全免');
    const all = pickQuotes(quoteCandidates('cmb', docs, vocabulary), 10);
    // a4 says what a2 says (but for the "!"): one quote, counted once
    assert.deepEqual(all.map((q) => q.conversationId).slice(3), ['s1', 'a1', 'a3']);
  });
});

describe('emerging competitors', () => {
  it('finds institution-like names the taxonomy does not know, counted per conversation', () => {
    const docs = [
      doc(
        'e1',
        ['宁波银行的理财收益高'],
        [['宁波银行', '的', '理财', '收益', '高']],
        [['competitor:other_bank', '宁波银行']],
      ),
      doc(
        'e2',
        ['我在宁波银行也有卡'],
        [['我', '在', '宁波银行', '也', '有', '卡']],
        [['competitor:other_bank', '宁波银行']],
      ),
      doc('e3', ['青田信用社给我批了'], [['青田', '信用社', '给', '我', '批', '了']]),
      doc('e4', ['我用速借借条借过'], [['我', '用', '速借借条', '借过']]),
      // known: 恒生银行 (other_bank's list), 农商行 alone (generic), 你们信用社 (not a name), 借呗 (alipay)
      doc('k1', ['恒生银行利率高'], [['恒生银行', '利率', '高']], [['competitor:other_bank', '恒生银行']]),
      doc(
        'k2',
        ['你们信用社不行', '农商行更好', '借呗方便'],
        [
          ['你们', '信用社', '不行'],
          ['农商行', '更好'],
          ['借呗', '方便'],
        ],
      ),
    ];
    assert.deepEqual(
      findEmerging(docs, vocabulary).map((e) => [
        e.name,
        e.mentions,
        e.examples.map((x) => x.conversationId),
      ]),
      [
        ['宁波银行', 2, ['e1', 'e2']],
        ['速借借条', 1, ['e4']],
        ['青田信用社', 1, ['e3']],
      ],
    );
  });
});
