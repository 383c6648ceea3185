/* global sessionStorage, URLSearchParams, prompt */
// The analyst console. Talks only to the HTTP API, with the analyst key from sessionStorage.
import { ERRORS, FACETS, NAMES, analysisLabels, evidenceName, labelChoices, labelName } from './labels.js';

const $ = (id) => document.getElementById(id);
const KEY = 'voc.apiKey';
const state = { filters: {}, next: undefined, chart: undefined, lastParams: undefined, seq: 0 };

function esc(text) {
  return String(text).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}

async function api(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${sessionStorage.getItem(KEY)}`, ...(init.headers ?? {}) },
  });
  if (res.status === 401) {
    signOut(ERRORS.unauthorized);
    throw new Error(ERRORS.unauthorized);
  }
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    const code = body.error?.code;
    const detail =
      body.error?.details?.map((d) => d.message).join(';') || body.error?.message || res.statusText;
    throw new Error(`${ERRORS[code] ?? '请求失败'}:${detail}`);
  }
  return res;
}

// ---- sign-in ----
function signOut(message = '') {
  sessionStorage.removeItem(KEY);
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = $('api-key').value.trim();
  const res = await fetch('/v1/search?limit=1&facets=false', { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) {
    $('login-error').textContent = res.status === 403 ? ERRORS.forbidden : ERRORS.unauthorized;
    return;
  }
  sessionStorage.setItem(KEY, key);
  start();
});
$('logout').addEventListener('click', () => signOut());

// ---- search parameters ----
function dateStr(d) {
  const cst = new Date(d.getTime() + 8 * 3600e3);
  return cst.toISOString().slice(0, 10);
}
function applyRange() {
  const v = $('range').value;
  const now = new Date();
  const today = dateStr(now);
  if (v === '') {
    $('from').value = '';
    $('to').value = '';
  } else if (v === 'thisMonth') {
    $('from').value = `${today.slice(0, 7)}-01`;
    $('to').value = today;
  } else if (v === 'lastMonth') {
    const [y, m] = today.split('-').map(Number);
    const first = new Date(Date.UTC(m === 1 ? y - 1 : y, m === 1 ? 11 : m - 2, 1));
    const last = new Date(Date.UTC(y, m - 1, 0));
    $('from').value = first.toISOString().slice(0, 10);
    $('to').value = last.toISOString().slice(0, 10);
  } else if (v !== 'custom') {
    $('from').value = dateStr(new Date(now.getTime() - Number(v) * 864e5));
    $('to').value = today;
  }
}

function expandAgents(text) {
  const out = [];
  for (const part of text.split(/[,,\s]+/).filter(Boolean)) {
    const range = /^([a-z]+-)(\d+)~(?:[a-z]+-)?(\d+)$/i.exec(part);
    if (!range) {
      out.push(part);
      continue;
    }
    const width = range[2].length;
    for (let n = Number(range[2]); n <= Number(range[3]) && out.length < 200; n++)
      out.push(range[1] + String(n).padStart(width, '0'));
  }
  return out;
}

function currentParams() {
  const q = $('q').value.trim();
  const speaker = $('speaker').value;
  const params = { sort: $('sort').value, interval: $('interval').value };
  if (q) params.q = speaker === 'all' ? q : `speaker:${speaker} ${q}`;
  if ($('from').value) params.from = $('from').value;
  if ($('to').value) params.to = $('to').value;
  if ($('channel').value) params.channel = $('channel').value;
  const agents = expandAgents($('agents').value);
  for (const [name, values] of Object.entries(state.filters)) {
    if (!values.length) continue;
    if (name === 'switchingIntent') params.switchingIntent = true;
    else if (name === 'channel') params.channel = values.length === 1 ? values[0] : params.channel;
    else params[name] = [...values];
  }
  if (params.channel === undefined) delete params.channel;
  if (agents.length) params.agent = [...new Set([...(params.agent ?? []), ...agents])];
  return params;
}

function setParams(p) {
  let q = p.q ?? '';
  const m = /^speaker:(customer|agent)\s+/.exec(q);
  $('speaker').value = m ? m[1] : 'all';
  if (m) q = q.slice(m[0].length);
  $('q').value = q;
  $('from').value = p.from ?? '';
  $('to').value = p.to ?? '';
  $('range').value = p.from || p.to ? 'custom' : '';
  $('channel').value = p.channel ?? '';
  $('sort').value = p.sort ?? 'relevance';
  $('interval').value = p.interval ?? 'week';
  $('agents').value = '';
  state.filters = {};
  for (const [, , param] of FACETS) if (Array.isArray(p[param])) state.filters[param] = [...p[param]];
  if (p.switchingIntent === true) state.filters.switchingIntent = [true];
}

function toQueryString(params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) qs.set(k, Array.isArray(v) ? v.join(',') : String(v));
  return qs.toString();
}

// ---- search ----
async function search(append = false) {
  $('error').textContent = '';
  const params = currentParams();
  state.lastParams = params;
  const seq = ++state.seq;
  $('results').dataset.state = 'loading';
  try {
    const body = {
      ...params,
      limit: 20,
      facets: !append,
      ...(append && state.next ? { after: state.next } : {}),
    };
    const res = await api('/v1/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const data = await res.json();
    if (seq !== state.seq) return; // a newer search was started meanwhile: its answer wins
    state.next = data.next;
    $('more').hidden = !data.next;
    if (!append) {
      $('total').textContent = `共 ${data.total.toLocaleString('zh-CN')} 通会话`;
      $('results').innerHTML = '';
      renderFacets(data.facets);
      renderChart(data.histogram ?? []);
      renderChips();
    }
    for (const hit of data.hits) $('results').append(resultItem(hit));
    if (!append && data.hits.length === 0)
      $('results').innerHTML = '<li class="meta">没有匹配的会话,试试减少关键词或条件。</li>';
  } catch (err) {
    $('error').textContent = err.message;
  }
  if (seq === state.seq) $('results').dataset.state = 'done';
}

function labelChips(a) {
  const chips = [];
  if (a.complaint.is && !a.complaint.categories.length)
    chips.push('<span class="chip complaint">投诉</span>');
  for (const c of a.complaint.categories)
    chips.push(`<span class="chip complaint">投诉·${esc(labelName('complaintCategory', c))}</span>`);
  for (const e of a.complaint.escalation)
    chips.push(`<span class="chip complaint">升级·${esc(labelName('escalation', e))}</span>`);
  for (const c of a.competitors)
    chips.push(
      `<span class="chip competitor">竞品·${esc(labelName('competitor', c.id))}${c.switchingIntent ? '(转移)' : ''}</span>`,
    );
  for (const n of a.needs) chips.push(`<span class="chip">需求·${esc(labelName('need', n))}</span>`);
  for (const l of a.lifeEvents)
    chips.push(`<span class="chip">事件·${esc(labelName('lifeEvent', l))}</span>`);
  return chips.join('');
}

function marked(text, spans, cls = '') {
  let out = '';
  let at = 0;
  for (const [s, e] of spans) {
    if (s < at) continue;
    out += esc(text.slice(at, s)) + `<mark class="${cls}">${esc(text.slice(s, e))}</mark>`;
    at = e;
  }
  return out + esc(text.slice(at));
}

function speakerTag(speaker) {
  return `<span class="speaker ${speaker}">${NAMES.speaker[speaker] ?? speaker}</span>`;
}

function resultItem(hit) {
  const li = document.createElement('li');
  li.className = 'result';
  li.dataset.id = hit.id;
  const when = new Date(hit.startedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
  const sentences = hit.highlights
    .map((h) => `<p class="sentence">${speakerTag(h.speaker)}${marked(h.text, h.spans)}</p>`)
    .join('');
  li.innerHTML = `<div class="meta">${esc(when)} · ${esc(labelName('channel', hit.channel))} · 坐席 ${esc(hit.agentId ?? '—')} · 客户 ${esc(hit.customerId ?? '—')} · ${hit.utteranceCount} 句</div>
    <div>${labelChips(hit.analysis)}</div>${sentences}`;
  li.addEventListener('click', () => openConversation(hit.id, state.lastParams));
  return li;
}

// ---- facets ----
function renderFacets(facets) {
  const box = $('facets');
  box.innerHTML = '';
  if (!facets) return;
  for (const [facet, title, param] of FACETS) {
    const values = facets[facet] ?? [];
    if (!values.length) continue;
    const filterName = facet === 'switchingIntent' ? 'competitor' : param;
    const div = document.createElement('div');
    div.className = 'card facet';
    div.dataset.facet = facet;
    div.innerHTML = `<h3>${title}</h3><ul></ul>`;
    for (const { value, count } of values) {
      const li = document.createElement('li');
      const checked = (state.filters[filterName] ?? []).includes(value);
      li.innerHTML = `<label><input type="checkbox" ${checked ? 'checked' : ''} data-value="${esc(value)}"> ${esc(labelName(facet, value))} <span class="count">${count}</span></label>`;
      li.querySelector('input').addEventListener('change', (e) => {
        const list = new Set(state.filters[filterName] ?? []);
        if (e.target.checked) list.add(value);
        else list.delete(value);
        state.filters[filterName] = [...list];
        if (facet === 'switchingIntent') {
          if (e.target.checked) state.filters.switchingIntent = [true];
          else delete state.filters.switchingIntent;
        }
        void search();
      });
      div.querySelector('ul').append(li);
    }
    box.append(div);
  }
}

function renderChips() {
  const box = $('chips');
  box.innerHTML = '';
  for (const [param, values] of Object.entries(state.filters)) {
    if (param === 'switchingIntent') {
      if (values.length) box.insertAdjacentHTML('beforeend', '<span class="chip">有转移意向</span>');
      continue;
    }
    const facet = FACETS.find((f) => f[2] === param)?.[0] ?? param;
    for (const v of values) {
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.textContent = `${labelName(facet, v)} ×`;
      chip.title = '点击移除';
      chip.addEventListener('click', () => {
        state.filters[param] = values.filter((x) => x !== v);
        void search();
      });
      box.append(chip);
    }
  }
  if (!box.children.length) box.innerHTML = '<span class="meta">无(在下方勾选)</span>';
}

$('clear-filters').addEventListener('click', () => {
  state.filters = {};
  $('agents').value = '';
  void search();
});

// ---- chart ----
function renderChart(buckets) {
  if (!window.echarts) return;
  state.chart ??= window.echarts.init($('chart'));
  state.chart.setOption(
    {
      tooltip: { trigger: 'axis' },
      grid: { left: 40, right: 16, top: 30, bottom: 30 },
      title: { text: '匹配会话趋势', textStyle: { fontSize: 13 } },
      xAxis: { type: 'category', data: buckets.map((b) => b.key) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: '会话数', type: 'bar', itemStyle: { color: '#2680c2' }, data: buckets.map((b) => b.count) },
      ],
    },
    true,
  );
}
window.addEventListener('resize', () => state.chart?.resize());

// ---- conversation view ----
async function openConversation(id, params) {
  try {
    const conv = await (await api(`/v1/conversations/${encodeURIComponent(id)}`)).json();
    state.conversation = { conv, params };
    $('conv-status').textContent = '';
    renderConversation(conv, params);
    $('conv-utterances').querySelector('mark')?.scrollIntoView({ block: 'center' });
    void loadCorrections(conv.id);
  } catch (err) {
    $('error').textContent = err.message;
  }
}

function renderConversation(conv, params) {
  const words = (params?.q ?? '')
    .replace(/speaker:\S+/g, '')
    .split(/\s+|OR|NEAR\/\d+|"/)
    .map((w) => w.replace(/^-/, ''))
    .filter((w) => w.length > 0 && w !== 'NOT');
  $('conversation').hidden = false;
  $('conv-title').textContent = `会话 ${conv.id}`;
  const when = new Date(conv.startedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
  $('conv-labels').innerHTML =
    `<div class="meta">${esc(when)} · ${esc(labelName('channel', conv.channel))} · 坐席 ${esc(conv.agentId ?? '—')} · 客户 ${esc(conv.customerId ?? '—')} · 情绪 ${conv.analysis.sentiment.customer.toFixed(2)}</div>${labelChips(conv.analysis)}`;
  const list = $('conv-utterances');
  list.innerHTML = '';
  conv.utterances.forEach((u, i) => {
    const evidence = conv.analysis.evidence.filter((e) => e.utterance === i);
    const spans = evidence.map((e) => [e.start, e.end]).sort((a, b) => a[0] - b[0]);
    const li = document.createElement('li');
    li.dataset.utterance = String(i);
    let html = marked(u.text, spans, 'evidence');
    if (!spans.length) {
      const lower = u.text.toLowerCase();
      const hits = [];
      for (const w of words)
        for (
          let at = lower.indexOf(w.toLowerCase());
          at >= 0;
          at = lower.indexOf(w.toLowerCase(), at + w.length)
        )
          hits.push([at, at + w.length]);
      html = marked(
        u.text,
        hits.sort((a, b) => a[0] - b[0]),
      );
    }
    const labels = [...new Set(evidence.map((e) => e.label))];
    const customer = u.speaker === 'customer';
    // Customer sentences carry the correction controls: × marks a label wrong, 纠正 opens the picker.
    const chips = labels
      .map(
        (l) =>
          `<span class="chip" data-label="${esc(l)}">${esc(evidenceName(l))}${customer ? `<button class="remove-label" data-label="${esc(l)}" title="标注有误,移除">×</button>` : ''}</span>`,
      )
      .join('');
    li.innerHTML = `${speakerTag(u.speaker)}${html}<div class="labels">${chips}${customer ? '<button class="link correct" title="标注有误或漏标">纠正</button>' : ''}</div>`;
    for (const button of li.querySelectorAll('.remove-label'))
      button.addEventListener('click', () => correct(i, 'remove', button.dataset.label));
    li.querySelector('.correct')?.addEventListener('click', () => openPicker(li, i));
    list.append(li);
  });
}

/** The label picker under one customer sentence: remove a label the conversation has, or add a missed one. */
function openPicker(li, utterance) {
  li.querySelector('.correction-form')?.remove();
  const { analysis } = state.conversation.conv;
  const present = new Set(analysisLabels(analysis));
  const form = document.createElement('form');
  form.className = 'correction-form';
  form.innerHTML = `<select class="correction-action" aria-label="纠正类型">
      <option value="add">漏标:添加标签</option>
      <option value="remove">标注有误:移除标签</option>
    </select>
    <select class="label-picker" aria-label="标签"></select>
    <button type="submit">提交</button> <button type="button" class="link cancel">取消</button>`;
  const picker = form.querySelector('.label-picker');
  const fill = () => {
    const remove = form.querySelector('.correction-action').value === 'remove';
    picker.innerHTML = '';
    const competitors = analysis.competitors.map((c) => c.id);
    for (const [title, options] of labelChoices(competitors)) {
      const group = document.createElement('optgroup');
      group.label = title;
      for (const [value, name] of options) {
        if (present.has(value) !== remove) continue;
        const option = document.createElement('option');
        option.value = value;
        option.textContent = name;
        group.append(option);
      }
      if (group.children.length) picker.append(group);
    }
  };
  fill();
  form.querySelector('.correction-action').addEventListener('change', fill);
  form.querySelector('.cancel').addEventListener('click', () => form.remove());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (picker.value) void correct(utterance, form.querySelector('.correction-action').value, picker.value);
  });
  li.append(form);
}

async function correct(utterance, action, label) {
  const { conv, params } = state.conversation;
  $('conv-status').textContent = '';
  try {
    await api(`/v1/conversations/${encodeURIComponent(conv.id)}/corrections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ utterance, label, action }),
    });
    const fresh = await (await api(`/v1/conversations/${encodeURIComponent(conv.id)}`)).json();
    state.conversation = { conv: fresh, params };
    renderConversation(fresh, params);
    $('conv-status').textContent =
      `已记录:第 ${utterance + 1} 句 ${action === 'add' ? '添加' : '移除'} ${evidenceName(label)}`;
    void loadCorrections(conv.id);
    void search(); // facets and counts follow the corrected labels
  } catch (err) {
    $('conv-status').textContent = err.message;
  }
}

async function loadCorrections(conversationId) {
  try {
    const { items } = await (
      await api(`/v1/corrections?conversationId=${encodeURIComponent(conversationId)}&limit=20`)
    ).json();
    $('conv-corrections').innerHTML = items
      .map((c) => {
        const when = new Date(c.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
        return `<li data-label="${esc(c.label)}">${esc(when)} · ${esc(c.actorName || c.actor)} · 第 ${c.utterance + 1} 句 · ${c.action === 'add' ? '添加' : '移除'} ${esc(evidenceName(c.label))}</li>`;
      })
      .join('');
    $('conv-corrections-box').hidden = items.length === 0;
  } catch (err) {
    $('conv-status').textContent = err.message;
  }
}

$('conv-close').addEventListener('click', () => {
  $('conversation').hidden = true;
});

// ---- saved searches ----
async function loadSaved() {
  const { items } = await (await api('/v1/saved-searches')).json();
  const ul = $('saved');
  ul.innerHTML = items.length ? '' : '<li class="meta">暂无</li>';
  for (const s of items) {
    const li = document.createElement('li');
    li.innerHTML = `<a href="#">${esc(s.name)}</a><button class="link" title="删除">删除</button>`;
    li.querySelector('a').addEventListener('click', (e) => {
      e.preventDefault();
      setParams(s.query);
      void search();
    });
    li.querySelector('button').addEventListener('click', async () => {
      await api(`/v1/saved-searches/${s.id}`, { method: 'DELETE' });
      await loadSaved();
    });
    ul.append(li);
  }
}
$('save-search').addEventListener('click', async () => {
  const name = prompt('搜索名称', $('q').value || '我的搜索');
  if (!name) return;
  try {
    await api('/v1/saved-searches', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, query: currentParams() }),
    });
    await loadSaved();
  } catch (err) {
    $('error').textContent = err.message;
  }
});

// ---- export ----
async function exportAs(format) {
  try {
    const res = await api(
      `/v1/search/export?${toQueryString({ ...currentParams(), format, maxRows: 10000 })}`,
    );
    const blob = await res.blob();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download =
      /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `export.${format}`;
    document.body.append(a);
    a.click();
    a.remove();
  } catch (err) {
    $('error').textContent = err.message;
  }
}
$('export-csv').addEventListener('click', () => exportAs('csv'));
$('export-ndjson').addEventListener('click', () => exportAs('ndjson'));

// ---- wiring ----
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void search();
});
$('more').addEventListener('click', () => search(true));
$('range').addEventListener('change', () => {
  applyRange();
  void search();
});
for (const id of ['from', 'to'])
  $(id).addEventListener('change', () => {
    $('range').value = 'custom';
    void search();
  });
for (const id of ['speaker', 'channel', 'sort', 'interval']) $(id).addEventListener('change', () => search());
$('agents').addEventListener('change', () => search());
for (const a of document.querySelectorAll('[data-example]'))
  a.addEventListener('click', (e) => {
    e.preventDefault();
    $('q').value = a.dataset.example;
    void search();
  });

function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  void loadSaved().catch((err) => {
    $('error').textContent = err.message;
  });
  void search();
}

if (sessionStorage.getItem(KEY)) start();
else signOut();
