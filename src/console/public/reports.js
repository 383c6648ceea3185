/* global sessionStorage, URLSearchParams, echarts, location */
// The competitor report page. In the console it asks the API (analyst key from sessionStorage);
// printed to PDF by the service, the report comes in window.__REPORT__ and nothing is fetched.
import { NAMES } from './label-names.js';

const $ = (id) => document.getElementById(id);
const KEY = 'voc.apiKey';
// Column names: the aspects, and the two counts that are not aspects (src/reports/names.ts).
const ASPECTS = { ...NAMES.aspect, switching: '转移意向', mention: '提及' };
const CHANNELS = NAMES.channel;

function esc(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

// A count links to the conversations behind it: the console's search view with the same filters
// (the console keeps its view in the URL: /console?from=&to=&competitor=cmb&aspect=rate...).
function searchLink(report, filters, text) {
  const p = report.period;
  const qs = new URLSearchParams({ from: p.from.slice(0, 10), to: p.to.slice(0, 10), sort: 'time' });
  if (p.channel) qs.set('channel', p.channel);
  for (const [k, v] of Object.entries(filters)) qs.set(k, v);
  return `<a href="/console?${qs}">${esc(text)}</a>`;
}

function chart(id, option) {
  const c = echarts.init($(id), null, { renderer: 'svg' });
  c.setOption({ animation: false, textStyle: { fontFamily: 'Noto Sans CJK SC, sans-serif' }, ...option });
  return c;
}

function renderCharts(report) {
  const top = report.competitors.slice(0, 8);
  const share = report.competitors.slice(0, 10);
  chart('chart-share', {
    tooltip: {},
    grid: { left: 72, right: 48, top: 8, bottom: 24 },
    yAxis: { type: 'category', data: share.map((c) => c.name), inverse: true },
    xAxis: { type: 'value', axisLabel: { formatter: (v) => `${Math.round(v * 100)}%` } },
    series: [
      {
        type: 'bar',
        data: share.map((c) => c.shareOfVoice),
        label: { show: true, position: 'right', formatter: (p) => `${(p.value * 100).toFixed(1)}%` },
      },
    ],
  });
  const starts = top[0]?.trend.map((t) => t.start) ?? [];
  chart('chart-trend', {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, itemWidth: 12, textStyle: { fontSize: 10 } },
    grid: { left: 36, right: 12, top: 12, bottom: 56 },
    xAxis: { type: 'category', data: starts.map((s) => s.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: top.slice(0, 6).map((c) => ({
      name: c.name,
      type: 'line',
      data: c.trend.map((t) => t.mentions),
    })),
  });
  const aspects = Object.keys(ASPECTS).filter((a) => top.some((c) => c.aspects[a]));
  chart('chart-aspects', {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, itemWidth: 12, textStyle: { fontSize: 10 } },
    grid: { left: 72, right: 12, top: 12, bottom: 56 },
    yAxis: { type: 'category', data: top.map((c) => c.name), inverse: true },
    xAxis: { type: 'value', minInterval: 1 },
    series: aspects.map((a) => ({
      name: ASPECTS[a],
      type: 'bar',
      stack: 'aspects',
      data: top.map((c) => c.aspects[a] ?? 0),
    })),
  });
  const leaving = report.competitors.filter((c) => c.switching > 0).slice(0, 8);
  chart('chart-switching', {
    tooltip: {},
    grid: { left: 72, right: 24, top: 12, bottom: 24 },
    yAxis: { type: 'category', data: leaving.map((c) => c.name), inverse: true },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', data: leaving.map((c) => c.switching), label: { show: true, position: 'right' } },
    ],
  });
}

function renderTable(report) {
  const head =
    '<tr><th>竞品</th><th>提及会话</th><th>客户数</th><th>声量份额</th><th>上期</th><th>变化</th><th>p 值</th><th>转移意向</th><th>负面会话</th><th>平均情绪</th></tr>';
  const rows = report.competitors.map((c) => {
    const change = `${c.change.delta > 0 ? '+' : ''}${c.change.delta}${c.change.significant ? ' ▲显著' : ''}`;
    return `<tr data-competitor="${esc(c.id)}">
      <td>${esc(c.name)}</td>
      <td class="mentions">${searchLink(report, { competitor: c.id }, c.mentions)}</td>
      <td>${c.customers}</td>
      <td>${(c.shareOfVoice * 100).toFixed(1)}%</td>
      <td>${c.change.previous}</td>
      <td class="${c.change.significant ? 'rise' : ''}">${esc(change)}</td>
      <td>${c.change.pValue === null ? '—' : c.change.pValue}</td>
      <td>${searchLink(report, { switching: c.id }, c.switching)}</td>
      <td>${c.sentiment.negative}</td>
      <td>${c.sentiment.mean}</td>
    </tr>`;
  });
  $('table').innerHTML = head + rows.join('');
  const t = report.test;
  $('method').textContent =
    `显著性:本期与前 ${report.period.baseline.periods} 期(同样长度)相比,以会话量为暴露量的条件二项检验(单侧,精确),` +
    `Holm 校正后 α = ${t.alpha}。点击数字可打开对应的会话。`;
}

function renderQuotes(report) {
  $('quotes').innerHTML = report.competitors
    .filter((c) => c.quotes.length > 0)
    .map((c) => {
      const aspects = Object.entries(c.aspects)
        .sort((a, b) => b[1] - a[1])
        .map(([a, n]) => searchLink(report, { competitor: c.id, aspect: a }, `${ASPECTS[a] ?? a} ${n}`))
        .join(' · ');
      const quotes = c.quotes
        .map(
          (q) =>
            `<blockquote data-conversation="${esc(q.conversationId)}"><span class="quote-group">[${esc(
              ASPECTS[q.group] ?? q.group,
            )} · ${q.groupSize} 句]</span> ${esc(q.text)}</blockquote>`,
        )
        .join('');
      return `<div class="competitor-quotes"><h3>${esc(c.name)}(${c.mentions} 通)</h3><p class="meta">${aspects}</p>${quotes}</div>`;
    })
    .join('');
}

function renderEmerging(report) {
  $('emerging-box').hidden = report.emerging.length === 0;
  $('emerging').innerHTML =
    '<tr><th>名称</th><th>提及会话</th><th>示例</th><th class="no-print"></th></tr>' +
    report.emerging
      .map(
        (e) =>
          `<tr><td>${esc(e.name)}</td><td>${searchLink(report, { q: `"${e.name}"`, speaker: 'customer' }, e.mentions)}</td><td class="text">${esc(
            e.examples[0]?.text ?? '',
          )}</td><td class="no-print"><button type="button" data-add-name="${esc(e.name)}">加入分类</button></td></tr>`,
      )
      .join('');
}

// "Add to taxonomy" (admin keys only): the name joins 其他银行 in competitors.yaml and a dry-run
// re-analysis starts; the answer says so, or why not.
async function addName(button) {
  const name = button.dataset.addName;
  const res = await fetch(`/v1/admin/taxonomy/competitor-names?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
  });
  const body = await res.json().catch(() => ({}));
  if (res.ok) button.replaceWith(`已加入分类(其他银行),试运行重新分析已开始`);
  else
    $('error').textContent =
      res.status === 403
        ? '加入分类需要管理员密钥'
        : `加入分类失败:${body.error?.details?.map((d) => d.message).join(';') || body.error?.message}`;
}

function render(report) {
  const p = report.period;
  $('period').textContent = `统计期间:${p.from.slice(0, 10)} 至 ${p.to.slice(0, 10)}(北京时间)· 渠道:${
    p.channel ? CHANNELS[p.channel] : '全部'
  } · 会话 ${p.conversations} 通 · 生成于 ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`;
  $('summary').innerHTML = report.summary.map((s) => `<li>${esc(s)}</li>`).join('');
  $('report').hidden = false;
  renderTable(report);
  renderQuotes(report);
  renderEmerging(report);
  renderCharts(report);
  document.body.dataset.ready = 'true';
}

// ---- console mode ----
function params() {
  const qs = new URLSearchParams({ interval: $('interval').value });
  if ($('from').value && $('to').value) {
    qs.set('from', $('from').value);
    qs.set('to', $('to').value);
  }
  if ($('channel').value) qs.set('channel', $('channel').value);
  return qs;
}

function mondayOfWeek(value) {
  const [y, w] = value.split('-W').map(Number);
  const jan4 = Date.UTC(y, 0, 4);
  const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 864e5 + (w - 1) * 7 * 864e5;
  return [new Date(monday), new Date(monday + 6 * 864e5)].map((d) => d.toISOString().slice(0, 10));
}

async function download(format) {
  const res = await fetch(`/v1/reports/competitors.${format}?${params()}`, {
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}` },
  });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error?.message ?? res.statusText);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = `competitors.${format}`;
  a.click();
}

async function load() {
  $('error').textContent = '';
  const key = sessionStorage.getItem(KEY) ?? $('api-key').value.trim();
  if (!key) {
    $('api-key').hidden = false;
    $('error').textContent = '请输入分析员 API 密钥';
    return;
  }
  sessionStorage.setItem(KEY, key);
  $('report').dataset.state = 'loading';
  const res = await fetch(`/v1/reports/competitors?${params()}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = await res.json();
  if (!res.ok) {
    if (res.status === 401) sessionStorage.removeItem(KEY);
    $('error').textContent = body.error?.details?.map((d) => d.message).join(';') || body.error?.message;
    return;
  }
  for (const id of ['chart-share', 'chart-trend', 'chart-aspects', 'chart-switching'])
    echarts.getInstanceByDom($(id))?.dispose();
  render(body);
}

if (window.__REPORT__) {
  render(window.__REPORT__);
} else {
  $('controls').hidden = false;
  $('api-key').hidden = Boolean(sessionStorage.getItem(KEY));
  $('week').addEventListener('change', () => {
    if (!$('week').value) return;
    [$('from').value, $('to').value] = mondayOfWeek($('week').value);
  });
  $('emerging').addEventListener('click', (e) => {
    const button = e.target.closest('button[data-add-name]');
    if (button) void addName(button).catch((err) => ($('error').textContent = err.message));
  });
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault();
    void load().catch((err) => ($('error').textContent = err.message));
  });
  for (const format of ['pdf', 'csv'])
    $(format).addEventListener('click', (e) => {
      e.preventDefault();
      void download(format).catch((err) => ($('error').textContent = err.message));
    });
  const from = new URLSearchParams(location.search);
  for (const k of ['from', 'to', 'interval', 'channel']) if (from.get(k)) $(k).value = from.get(k);
  void load().catch((err) => ($('error').textContent = err.message));
}
