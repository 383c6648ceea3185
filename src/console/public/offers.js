/* global sessionStorage, echarts, URLSearchParams */
// The closed-loop offer report: GET /v1/reports/offers with the analyst key of this tab.
const $ = (id) => document.getElementById(id);
const KEY = 'voc.apiKey';

function esc(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

function lift(g) {
  if (!g.lift) return '—（对照组无数据）';
  const [lo, hi] = g.lift.ci95;
  return `${pct(g.lift.value)}（95% 区间 ${pct(lo)} ~ ${pct(hi)}）`;
}

const CHANNELS = { call: '来电', chat: '在线客服', app: '手机银行', sms: '短信', outbound_call: '外呼' };

/** What a row stands for, in Chinese where the report or the page knows it; the id stays visible. */
function name(g) {
  if (g.key === '(none)') return '（无）';
  const label = g.label ?? CHANNELS[g.key];
  return label ? `${label}（${g.key}）` : g.key;
}

function table(id, groups, label) {
  const head =
    `<thead><tr><th scope="col">${label}</th><th scope="col">推荐次数</th><th scope="col">接受</th>` +
    `<th scope="col">拒绝</th><th scope="col">未回应</th><th scope="col">待定</th><th scope="col">接受率</th>` +
    `<th scope="col">策略组接受率</th><th scope="col">对照组接受率</th><th scope="col">提升（策略组−对照组）</th></tr></thead>`;
  const rows = groups
    .map(
      (g) =>
        `<tr data-key="${esc(g.key)}"><td>${esc(name(g))}</td><td>${g.offersMade}</td><td>${g.accepted}</td>` +
        `<td>${g.declined}</td><td>${g.noAnswer}</td><td>${g.pending}</td><td>${pct(g.acceptanceRate)}</td>` +
        `<td>${pct(g.policy?.acceptanceRate)}</td><td>${pct(g.control.acceptanceRate)}</td><td>${esc(lift(g))}</td></tr>`,
    )
    .join('');
  $(id).innerHTML = head + `<tbody>${rows}</tbody>`;
}

function render(report) {
  const t = report.totals;
  $('totals').textContent =
    `${report.from.slice(0, 10)} 至 ${report.to.slice(0, 10)}：决策 ${t.decisions} 次，推荐 ${t.offersMade} 次，` +
    `接受 ${t.accepted} 次，接受率 ${pct(t.acceptanceRate)}；相对对照组提升 ${lift(t)}`;
  const offers = report.byOffer.slice(0, 15);
  // Visible before the chart is drawn: ECharts sizes itself from the box (0×0 while hidden).
  $('report').hidden = false;
  echarts.getInstanceByDom($('chart-offers'))?.dispose();
  const chart = echarts.init($('chart-offers'), null, { renderer: 'svg' });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif' },
    tooltip: { trigger: 'axis', valueFormatter: (v) => pct(v) },
    legend: { data: ['策略组', '对照组'] },
    grid: { left: 160, right: 32, top: 32, bottom: 24 },
    yAxis: { type: 'category', data: offers.map((o) => o.label ?? o.key), inverse: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    series: [
      { name: '策略组', type: 'bar', data: offers.map((o) => o.policy?.acceptanceRate ?? 0) },
      { name: '对照组', type: 'bar', data: offers.map((o) => o.control.acceptanceRate ?? 0) },
    ],
  });
  table('by-offer', report.byOffer, '产品');
  table('by-tag', report.byTag, '触发标签');
  table('by-channel', report.byChannel, '渠道');
  table('by-agent', report.byAgent, '坐席');
}

async function load(event) {
  event?.preventDefault();
  $('error').textContent = '';
  const typed = $('api-key').value.trim();
  if (typed) sessionStorage.setItem(KEY, typed);
  const key = sessionStorage.getItem(KEY);
  if (!key) {
    $('api-key').hidden = false;
    $('error').textContent = '请先输入分析员 API 密钥';
    return;
  }
  const qs = new URLSearchParams({ from: $('from').value, to: $('to').value });
  const res = await fetch(`/v1/reports/offers?${qs}`, { headers: { authorization: `Bearer ${key}` } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    if (res.status === 401) $('api-key').hidden = false;
    $('error').textContent = body.error?.message ?? `请求失败（${res.status}）`;
    return;
  }
  render(body);
}

const today = new Date();
$('to').value = today.toISOString().slice(0, 10);
$('from').value = new Date(today.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
$('api-key').hidden = Boolean(sessionStorage.getItem(KEY));
$('controls').addEventListener('submit', (e) => void load(e));
if (sessionStorage.getItem(KEY)) void load();
