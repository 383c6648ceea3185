/** The report as CSV for Excel: UTF-8 with BOM, Chinese headers, numbers unquoted, one row per competitor. */
import { ASPECTS } from '../domain/labels.js';
import type { CompetitorReport } from './competitor-report-service.js';
import { REPORT_ASPECT_NAMES } from './names.js';

function cell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  // Text that Excel would read as a formula is prefixed, as in the search export.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const row = (values: (string | number | boolean | null)[]): string => `${values.map(cell).join(',')}\r\n`;

export function reportCsv(report: CompetitorReport): string {
  const p = report.period;
  let out = '\uFEFF';
  out += row([
    '竞品',
    '编号',
    '提及会话数',
    '客户数',
    '声量份额',
    '上期提及',
    '变化',
    '显著上升',
    'p值',
    '转移意向会话数',
    '负面会话数',
    '正面会话数',
    '平均情绪',
    ...ASPECTS.map((a) => `维度:${REPORT_ASPECT_NAMES[a]}`),
    '开始',
    '结束',
  ]);
  for (const c of report.competitors) {
    out += row([
      c.name,
      c.id,
      c.mentions,
      c.customers,
      c.shareOfVoice,
      c.change.previous,
      c.change.delta,
      c.change.significant,
      c.change.pValue,
      c.switching,
      c.sentiment.negative,
      c.sentiment.positive,
      c.sentiment.mean,
      ...ASPECTS.map((a) => c.aspects[a] ?? 0),
      p.from,
      p.to,
    ]);
  }
  if (report.emerging.length > 0) {
    out += '\r\n' + row(['新出现的机构', '提及会话数', '示例']);
    for (const e of report.emerging) out += row([e.name, e.mentions, e.examples[0]?.text ?? '']);
  }
  return out;
}
