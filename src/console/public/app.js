/* global sessionStorage, prompt, history, location, navigator */
// The analyst console. Talks only to the HTTP API, with the analyst key from sessionStorage. The
// view (query, filters, period, open conversation) lives in the URL: links can be shared,
// back/forward and reload restore it.
import { ApiError, KEY, api, postJson } from './api.js';
import { clearChart, renderChart } from './chart.js';
import {
  closeConversation,
  initConversationView,
  isOpen,
  openConversation,
  openId,
} from './conversation-view.js';
import { renderChips, renderFacets } from './facets.js';
import { loadPhrases } from './phrases.js';
import { NAMES, customerLink, labelChips, labelName } from './labels.js';
import { esc, paint } from './marks.js';
import { wireSignIn } from './session.js';
import {
  bucketEnd,
  emptyView,
  paramsToView,
  previousPeriod,
  rangeDates,
  searchToView,
  toQueryString,
  viewToParams,
  viewToSearch,
} from './view-state.js';

const $ = (id) => document.getElementById(id);
let view = emptyView();
const state = { next: undefined, seq: 0, selected: -1 };

// ---- sign-in ----
const signOut = wireSignIn({
  start: () => start(),
  clear: () => {
    closeConversation({ silent: true });
    $('results').innerHTML = '';
  },
});

// ---- view <-> controls ----
function showView() {
  $('q').value = view.q;
  $('speaker').value = view.speaker;
  $('range').value = view.range || (view.from || view.to ? 'custom' : '');
  $('from').value = view.from;
  $('to').value = view.to;
  $('complaint').value = view.complaint;
  $('agents').value = view.agents;
  $('sort').value = view.sort;
  $('interval').value = view.interval;
  $('compare').checked = view.compare;
}

/** Changes the view, records it in the URL (a history entry unless replace) and searches. */
function navigate(changes, { replace = false, searchAgain = true } = {}) {
  // text typed but not yet submitted goes along with any other change (a filter, the period)
  view = { ...view, q: $('q').value, agents: $('agents').value, ...changes };
  // a sentence belongs to its conversation: opening another or closing it forgets the sentence
  if ('conv' in changes && !('utt' in changes)) view.utt = '';
  const url = `${location.pathname}${viewToSearch(view)}`;
  if (replace) history.replaceState(null, '', url);
  else if (url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
  showView();
  if (searchAgain) void search();
}

window.addEventListener('popstate', () => {
  if ($('app').hidden) return;
  view = searchToView(location.search);
  showView();
  void search();
  syncConversation();
});

function syncConversation() {
  if (view.conv && view.conv !== openId())
    void openConversation(view.conv, viewToParams(view).q, { utterance: view.utt });
  else if (!view.conv) closeConversation({ silent: true });
}

// ---- search ----
function setBusy(busy) {
  $('results').dataset.state = busy ? 'loading' : $('results').dataset.state;
  $('search-status').textContent = busy ? '正在搜索…' : '';
  $('search-btn').disabled = busy;
  document.querySelector('main').setAttribute('aria-busy', String(busy));
}

function showError(err) {
  // A failed search leaves nothing stale behind: no old total, results, facets or chart.
  $('error').textContent = err.message;
  $('total').textContent = '—';
  $('results').innerHTML = '';
  $('facets').innerHTML = '';
  $('more').hidden = true;
  clearChart();
  if (err instanceof ApiError && err.body?.error?.details?.some((d) => d.where === 'q'))
    $('q').setAttribute('aria-invalid', 'true');
}

async function fetchPrevious(params) {
  if (!view.compare || !params.from || !params.to) return undefined;
  const prev = previousPeriod(params.from, params.to);
  const res = await postJson('/v1/search', { ...params, ...prev, limit: 1, facets: true });
  return { ...(await res.json()), period: prev };
}

async function search(append = false) {
  $('error').textContent = '';
  $('q').removeAttribute('aria-invalid');
  const params = viewToParams(view);
  const seq = ++state.seq;
  setBusy(true);
  try {
    const body = {
      ...params,
      limit: 20,
      facets: !append,
      ...(append && state.next ? { after: state.next } : {}),
    };
    const [data, previous] = await Promise.all([
      postJson('/v1/search', body).then((r) => r.json()),
      append ? undefined : fetchPrevious(params),
    ]);
    if (seq !== state.seq) return; // a newer search was started meanwhile: its answer wins
    state.next = data.next;
    $('more').hidden = !data.next;
    if (!append) {
      state.selected = -1;
      $('total').textContent = `共 ${data.total.toLocaleString('zh-CN')} 通会话`;
      $('results').innerHTML = '';
      const compare = previous && { facets: previous.facets, total: data.total, prevTotal: previous.total };
      renderFacets($('facets'), data.facets, view, { compare, onToggle: toggleFacet });
      renderChart(data.histogram ?? [], { previous: previous?.histogram, onBar: drillDown });
      renderChips($('chips'), view, (changes) => navigate(changes));
      renderComparison(data.total, previous);
      void loadPhrases(
        params,
        () => seq === state.seq,
        (phrase) => navigate({ q: view.q.trim() ? `${view.q.trim()} ${phrase}` : phrase, conv: '' }),
      );
    }
    for (const hit of data.hits) $('results').append(resultItem(hit));
    if (!append && data.hits.length === 0)
      $('results').innerHTML = '<li class="meta">没有匹配的会话,试试减少关键词或条件。</li>';
    $('results').dataset.state = 'done';
  } catch (err) {
    if (seq !== state.seq) return;
    showError(err);
    $('results').dataset.state = 'error';
  } finally {
    if (seq === state.seq) setBusy(false);
  }
}

function renderComparison(total, previous) {
  const box = $('comparison');
  if (!view.compare) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  if (!previous) {
    box.textContent = '对比需要一个时间范围:请先选择时间(如本月)。';
    return;
  }
  const diff = total - previous.total;
  const pct = previous.total ? ` (${diff >= 0 ? '+' : ''}${Math.round((diff / previous.total) * 100)}%)` : '';
  box.textContent = `本期 ${view.from} ~ ${view.to}:${total} 通;上期 ${previous.period.from} ~ ${previous.period.to}:${previous.total} 通;变化 ${diff >= 0 ? '+' : ''}${diff}${pct}。筛选项旁 ↑↓ 为与上期的差,* 表示变化显著(与竞品报告相同的规则:以会话数为暴露量的条件二项检验,Holm 校正,α=0.05)。`;
}

function toggleFacet(param, value, checked) {
  const list = new Set(view.filters[param] ?? []);
  if (checked) list.add(value);
  else list.delete(value);
  navigate({ filters: { ...view.filters, [param]: [...list] } });
}

function drillDown(bucket) {
  const finer = { month: 'week', week: 'day', day: 'day' }[view.interval];
  navigate({ from: bucket.key, to: bucketEnd(bucket.key, view.interval), range: 'custom', interval: finer });
}

function speakerTag(speaker) {
  return `<span class="speaker ${speaker}">${NAMES.speaker[speaker] ?? speaker}</span>`;
}

function resultItem(hit) {
  const li = document.createElement('li');
  li.className = 'result';
  li.dataset.id = hit.id;
  li.tabIndex = 0;
  const when = new Date(hit.startedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
  const sentences = hit.highlights
    .map(
      (h) =>
        `<p class="sentence">${speakerTag(h.speaker)}${paint(h.text, [{ cls: 'hit', spans: h.spans }])}</p>`,
    )
    .join('');
  li.innerHTML = `<div class="meta">${esc(when)} · ${esc(labelName('channel', hit.channel))} · 坐席 ${esc(hit.agentId ?? '—')} · 客户 ${customerLink(hit.customerId)} · ${hit.utteranceCount} 句</div>
    <div>${labelChips(hit.analysis)}</div>${sentences}`;
  li.addEventListener('click', (e) => {
    if (!e.target.closest('a')) openResult(li); // the customer link opens the customer page instead
  });
  li.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target === li) openResult(li);
  });
  return li;
}

function openResult(li) {
  const items = [...$('results').querySelectorAll('li.result')];
  select(items.indexOf(li));
  navigate({ conv: li.dataset.id }, { searchAgain: false, replace: isOpen() });
  void openConversation(li.dataset.id, viewToParams(view).q);
}

function select(index) {
  const items = [...$('results').querySelectorAll('li.result')];
  if (!items.length) return undefined;
  state.selected = Math.max(0, Math.min(items.length - 1, index));
  items.forEach((el, i) => el.classList.toggle('selected', i === state.selected));
  const li = items[state.selected];
  li.scrollIntoView({ block: 'nearest' });
  return li;
}

initConversationView({
  onCorrected: () => void search(),
  onClose: () => navigate({ conv: '' }, { searchAgain: false }),
});

// ---- keyboard: / search, Esc close, j/k next/previous result ----
document.addEventListener('keydown', (e) => {
  if ($('app').hidden || e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName);
  if (e.key === 'Escape') {
    if (isOpen()) {
      e.preventDefault();
      closeConversation();
      $('results').querySelector('li.result.selected')?.focus();
    } else if (typing) e.target.blur();
    return;
  }
  if (typing) return;
  if (e.key === '/') {
    e.preventDefault();
    $('q').focus();
    $('q').select();
  } else if (e.key === 'j' || e.key === 'k') {
    e.preventDefault();
    const li = select(state.selected + (e.key === 'j' ? 1 : -1));
    if (!li) return;
    li.focus({ preventScroll: true });
    if (isOpen()) openResult(li);
  }
});

// ---- saved searches ----
// Your own searches carry a 共享 toggle and 删除; a colleague's shared search shows who shared it.
async function loadSaved() {
  const { items } = await (await api('/v1/saved-searches')).json();
  const ul = $('saved');
  ul.innerHTML = items.length ? '' : '<li class="meta">暂无</li>';
  for (const s of items) {
    const li = document.createElement('li');
    li.dataset.id = s.id;
    const owner = s.mine ? '我' : s.ownerName || '同事';
    li.innerHTML =
      `<a href="#">${esc(s.name)}</a><span class="meta owner">${esc(owner)}${s.shared ? ' · 已共享' : ''}</span>` +
      (s.mine
        ? `<label class="share-toggle"><input type="checkbox" ${s.shared ? 'checked' : ''} aria-label="与团队共享 ${esc(s.name)}">共享</label>` +
          `<button class="link delete" title="删除" aria-label="删除 ${esc(s.name)}">删除</button>`
        : '');
    li.querySelector('a').addEventListener('click', (e) => {
      e.preventDefault();
      navigate(paramsToView(s.query));
    });
    li.querySelector('.share-toggle input')?.addEventListener('change', async (e) => {
      try {
        await api(`/v1/saved-searches/${s.id}/shared`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ shared: e.target.checked }),
        });
      } catch (err) {
        $('error').textContent = err.message;
      }
      await loadSaved();
    });
    li.querySelector('button.delete')?.addEventListener('click', async () => {
      await api(`/v1/saved-searches/${s.id}`, { method: 'DELETE' });
      await loadSaved();
    });
    ul.append(li);
  }
}
$('save-search').addEventListener('click', async () => {
  const name = prompt('搜索名称', view.q || '我的搜索');
  if (!name) return;
  try {
    await postJson('/v1/saved-searches', { name, query: viewToParams(view) });
    await loadSaved();
  } catch (err) {
    $('error').textContent = err.message;
  }
});

// ---- share ----
$('share').addEventListener('click', async () => {
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
    $('share-status').textContent = '链接已复制,同事登录后可打开同一视图';
  } catch {
    $('share-status').textContent = `链接:${link}`;
  }
});

// ---- export ----
async function exportAs(format) {
  try {
    const res = await api(
      `/v1/search/export?${toQueryString({ ...viewToParams(view), format, maxRows: 10000 })}`,
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
$('export-xlsx').addEventListener('click', () => exportAs('xlsx'));
$('export-csv').addEventListener('click', () => exportAs('csv'));
$('export-ndjson').addEventListener('click', () => exportAs('ndjson'));

// ---- wiring ----
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  navigate({ q: $('q').value, agents: $('agents').value, conv: '' });
});
$('more').addEventListener('click', () => search(true));
$('range').addEventListener('change', () => {
  const range = $('range').value;
  navigate({ range, ...rangeDates(range, new Date(), { from: view.from, to: view.to }) });
});
for (const id of ['from', 'to'])
  $(id).addEventListener('change', () => navigate({ [id]: $(id).value, range: 'custom' }));
for (const id of ['speaker', 'complaint', 'sort', 'interval', 'agents'])
  $(id).addEventListener('change', () => navigate({ [id]: $(id).value }));
$('compare').addEventListener('change', () => {
  const changes = { compare: $('compare').checked };
  // comparing needs a period: this month against last month unless one is chosen
  if (changes.compare && !view.from && !view.to)
    Object.assign(changes, { range: 'thisMonth' }, rangeDates('thisMonth'));
  navigate(changes);
});
$('clear-filters').addEventListener('click', () =>
  navigate({ filters: {}, agents: '', complaint: '', speaker: 'all', from: '', to: '', range: '' }),
);
$('toggle-filters').addEventListener('click', () => {
  const open = document.body.classList.toggle('filters-open');
  $('toggle-filters').setAttribute('aria-expanded', String(open));
});
for (const a of document.querySelectorAll('[data-example]'))
  a.addEventListener('click', (e) => {
    e.preventDefault();
    navigate({ q: a.dataset.example, conv: '' });
  });

function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  view = searchToView(location.search);
  showView();
  void loadSaved().catch((err) => {
    $('error').textContent = err.message;
  });
  void search();
  syncConversation();
}

if (sessionStorage.getItem(KEY)) start();
else signOut();
