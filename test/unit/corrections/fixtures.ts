import { emptyAnalysis } from '../../../src/domain/analysis.js';
import type { ProcessedConversation } from '../../../src/domain/processed-conversation.js';

/** A stored conversation: a fee complaint and cmb with switching intent on utterance 1, a phone number in 2. */
export function storedConversation(id: string): ProcessedConversation {
  return {
    conversation: {
      id,
      channel: 'call',
      startedAt: '2026-11-01T10:00:00+08:00',
      utterances: [
        { speaker: 'agent', text: '您好,请问有什么可以帮您' },
        { speaker: 'customer', text: '你们的年费太贵了,我打算去招行办' },
        { speaker: 'customer', text: '我明年就退休了,电话13812345678' },
      ],
    },
    tokens: [['您好'], ['年费', '太贵'], ['退休']],
    analysis: {
      ...emptyAnalysis(id),
      complaint: { is: true, categories: ['fees'], escalation: [] },
      competitors: [{ id: 'cmb', aspects: [], switchingIntent: true }],
      evidence: [
        { label: 'complaint:fees', utterance: 1, start: 3, end: 5 },
        { label: 'competitor:cmb', utterance: 1, start: 12, end: 14 },
      ],
    },
    versions: { pipeline: 'engine-1', taxonomy: 't1', dictionary: 'd1', model: 'none' },
    processedAt: '2026-11-01T10:05:00.000Z',
  };
}
