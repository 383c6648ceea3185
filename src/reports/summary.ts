/** The few sentences in Chinese a decision maker reads first: volume, leaders, real rises, leavers, new names. */
import type { Aspect } from '../domain/labels.js';
import type { CompetitorReport } from './competitor-report-service.js';
import { REPORT_ASPECT_NAMES } from './names.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function summarise(report: CompetitorReport): string[] {
  const { period, competitors, emerging } = report;
  const day = (iso: string): string => iso.slice(0, 10);
  const lines: string[] = [];
  const mentioned = competitors.reduce((s, c) => s + c.mentions, 0);
  lines.push(
    `${day(period.from)} 至 ${day(period.to)} 共 ${period.conversations} 通会话，竞品被提及 ${mentioned} 次（每通会话每家竞品计一次）。`,
  );
  if (competitors.length === 0) {
    lines.push('本期没有客户提及竞品。');
    return lines;
  }
  lines.push(
    `提及最多：${competitors
      .slice(0, 3)
      .map((c) => `${c.name} ${c.mentions} 次（份额 ${pct(c.shareOfVoice)}）`)
      .join('，')}。`,
  );
  const rises = competitors.filter((c) => c.change.significant);
  if (rises.length > 0) {
    for (const c of rises) {
      lines.push(
        `${c.name} 的提及显著上升：本期 ${c.mentions} 次，上期 ${c.change.previous} 次，前 ${c.change.baseline.periods} 期共 ${c.change.baseline.mentions} 次（p = ${c.change.pValue}）。`,
      );
    }
  } else {
    lines.push(`与前 ${period.baseline.periods} 期相比，没有竞品的提及量显著上升（变化在正常波动范围内）。`);
  }
  const movers = competitors
    .filter((c) => !c.change.significant && c.change.delta !== 0)
    .sort((a, b) => Math.abs(b.change.delta) - Math.abs(a.change.delta) || b.mentions - a.mentions)
    .slice(0, 3);
  if (movers.length > 0) {
    lines.push(
      `与上期相比变化较大（不显著）：${movers
        .map((c) => `${c.name} ${c.change.delta > 0 ? '+' : ''}${c.change.delta}`)
        .join('，')}。`,
    );
  }
  const switching = competitors.filter((c) => c.switching > 0).sort((a, b) => b.switching - a.switching);
  if (switching.length > 0) {
    lines.push(
      `客户表示要把业务转过去的竞品：${switching
        .slice(0, 3)
        .map((c) => `${c.name} ${c.switching} 通`)
        .join('，')}。`,
    );
  }
  const aspects = new Map<Aspect, number>();
  for (const c of competitors)
    for (const [a, n] of Object.entries(c.aspects))
      aspects.set(a as Aspect, (aspects.get(a as Aspect) ?? 0) + (n ?? 0));
  const top = [...aspects].sort((a, b) => b[1] - a[1])[0];
  if (top !== undefined) lines.push(`客户最常拿来比较的是${REPORT_ASPECT_NAMES[top[0]]}（${top[1]} 次）。`);
  if (emerging.length > 0) {
    lines.push(
      `新出现的机构名称：${emerging
        .slice(0, 5)
        .map((e) => `${e.name}（${e.mentions} 通）`)
        .join('、')}。`,
    );
  }
  return lines;
}
