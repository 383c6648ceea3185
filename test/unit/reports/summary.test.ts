import assert from 'node:assert/strict';
import type {
  CompetitorReport,
  CompetitorReportEntry,
} from '../../../src/reports/competitor-report-service.js';
import { summarise } from '../../../src/reports/summary.js';

function entry(
  id: 'cmb' | 'icbc' | 'webank',
  name: string,
  mentions: number,
  previous: number,
  significant = false,
) {
  return {
    id,
    name,
    mentions,
    customers: mentions,
    shareOfVoice: 0,
    trend: [],
    change: {
      previous,
      delta: mentions - previous,
      significant,
      pValue: significant ? 0.0009 : 0.4,
      baseline: { periods: 4, mentions: 8, conversations: 400 },
    },
    aspects: id === 'cmb' ? { rate: 7, fee: 1 } : { fee: 2 },
    switching: id === 'cmb' ? 3 : 0,
    sentiment: { mean: 0, negative: 0, positive: 0 },
    quotes: [],
  } satisfies CompetitorReportEntry;
}

describe('report summary', () => {
  it('says in Chinese what changed: the real rise, the other movers, leavers, aspects, new names', () => {
    const report = {
      period: {
        from: '2026-11-02T00:00:00.000+08:00',
        to: '2026-11-08T23:59:59.999+08:00',
        interval: 'week',
        conversations: 100,
        baseline: { from: '', to: '', periods: 4, conversations: 400 },
      },
      competitors: [
        { ...entry('cmb', '招商银行', 10, 2, true), shareOfVoice: 0.625 },
        { ...entry('icbc', '工商银行', 4, 1), shareOfVoice: 0.25 },
        { ...entry('webank', '微众银行', 2, 2), shareOfVoice: 0.125 },
      ],
      emerging: [{ name: '宁波银行', mentions: 2, examples: [] }],
    } as unknown as CompetitorReport;
    assert.deepEqual(summarise(report), [
      '2026-11-02 至 2026-11-08 共 100 通会话，竞品被提及 16 次（每通会话每家竞品计一次）。',
      '提及最多：招商银行 10 次（份额 62.5%），工商银行 4 次（份额 25.0%），微众银行 2 次（份额 12.5%）。',
      '招商银行 的提及显著上升：本期 10 次，上期 2 次，前 4 期共 8 次（p = 0.0009）。',
      '与上期相比变化较大（不显著）：工商银行 +3。',
      '客户表示要把业务转过去的竞品：招商银行 3 通。',
      '客户最常拿来比较的是利率/收益（7 次）。',
      '新出现的机构名称：宁波银行（2 通）。',
    ]);
  });
});
