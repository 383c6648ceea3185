/* global sessionStorage, location, history, URLSearchParams */
// The customer page: one customer's profile (tags with the sentences that show them and their
// lifetimes, consent) and the timeline of their conversations. The customer id lives in the URL
// (/console/customer.html?id=…), so the page can be shared and survives a reload. Talks only to the
// HTTP API: GET /v1/customers/:id and /v1/search filtered by customer.
import { ApiError, KEY, api, postJson } from './api.js';
import { EXIT_REASONS, TAG_STATUS, labelChips, labelName, tagClass, tagName, NAMES } from './labels.js';
import { esc } from './marks.js';
import { wireSignIn } from './session.js';

const $ = (id) => document.getElementById(id);
const DAY = 864e5;
const state = { customerId: '', next: undefined };

const when = (iso) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }).replace(/:\d\d$/, '');
const day = (iso) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
/** An id typed into the URL may hold a personal number: never echo one in clear. */
const masked = (id) => id.replace(/\d{7,}/g, (m) => m.replace(/\d(?=\d{4})/g, '*'));

// ---- sign-in (the same key as the search page: this tab's sessionStorage) ----
const signOut = wireSignIn({ start: () => start() });

// ---- tags ----
function fact(term, value) {
  return `<div><dt>${term}</dt><dd>${value}</dd></div>`;
}

function evidenceItem(e) {
  const speaker = NAMES.speaker[e.speaker] ?? e.speaker;
  const href = `/console?conv=${encodeURIComponent(e.conversationId)}&utt=${e.utterance}`;
  return `<li class="evidence">
    <blockquote class="quote">${esc(e.quote)}</blockquote>
    <div class="meta">${esc(when(e.at))} · ${esc(labelName('channel', e.channel))} · ${esc(speaker)} ·
      <a class="evidence-link" href="${esc(href)}">查看原句(会话 ${esc(e.conversationId)} 第 ${e.utterance + 1} 句)</a></div>
  </li>`;
}

function lifetime(tag, now) {
  const left = Math.ceil((Date.parse(tag.validUntil) - now) / DAY);
  const until =
    tag.status === 'active' && left > 0 ? `${day(tag.validUntil)}(还有 ${left} 天)` : day(tag.validUntil);
  const status =
    tag.status === 'exited' && tag.exitReason
      ? `${TAG_STATUS.exited}:${esc(EXIT_REASONS[tag.exitReason] ?? tag.exitReason)}`
      : esc(TAG_STATUS[tag.status] ?? tag.status);
  return [
    fact('状态', status),
    fact('首次出现', esc(when(tag.firstSeen))),
    fact('最近确认', esc(when(tag.lastQualified))),
    fact('有效至', esc(until)),
    fact('会话数', String(tag.count)),
    fact('置信度', `${Math.round(tag.confidence * 100)}%`),
  ].join('');
}

function tagItem(tag, now) {
  const li = document.createElement('li');
  li.className = `tag ${tag.status}`;
  li.dataset.key = tag.key;
  const source =
    tag.evidence.length === 0 && tag.source === 'crm'
      ? '<p class="meta">来源:CRM 系统(不是会话中听到的)</p>'
      : '';
  li.innerHTML = `<div class="tag-head"><span class="chip ${tagClass(tag.key)}">${esc(tagName(tag.key))}</span>
      <code class="key">${esc(tag.key)}</code></div>
    <dl class="facts lifetime">${lifetime(tag, now)}</dl>${source}
    <ul class="evidence-list" aria-label="证据">${tag.evidence.map(evidenceItem).join('')}</ul>`;
  return li;
}

function renderTags(tags) {
  const now = Date.now();
  const byRecent = (a, b) => (a.lastQualified < b.lastQualified ? 1 : -1);
  const active = tags.filter((t) => t.status === 'active').sort(byRecent);
  const exited = tags.filter((t) => t.status !== 'active').sort(byRecent);
  $('tag-count').textContent = `(${active.length} 个)`;
  $('active-tags').replaceChildren(...active.map((t) => tagItem(t, now)));
  if (!active.length) $('active-tags').innerHTML = '<li class="meta">目前没有有效的标签。</li>';
  $('exited-count').textContent = String(exited.length);
  $('exited-tags').replaceChildren(...exited.map((t) => tagItem(t, now)));
  $('exited-box').hidden = exited.length === 0;
}

// ---- consent (PIPL) ----
function renderConsent(c) {
  const marketing = c.marketing === undefined ? '未记录' : c.marketing ? '已同意' : '未同意';
  const d = c.doNotMarket;
  const source = d.source === 'crm' ? 'CRM 系统' : '客户在会话中拒绝';
  let dnm = '否';
  if (d.active) dnm = `是:自 ${esc(day(d.since))} 至 ${esc(day(d.until))},来源:${source}`;
  else if (d.since) dnm = `否(曾于 ${esc(day(d.since))} 至 ${esc(day(d.until))} 勿营销,来源:${source})`;
  $('consent').innerHTML = [
    fact('营销同意', marketing),
    fact('勿营销(拒绝营销)', dnm),
    fact('拒绝个性化营销', c.personalisationOptOut ? '是(只能推送非个性化内容)' : '否'),
    ...(c.updatedAt ? [fact('CRM 最近更新', esc(when(c.updatedAt)))] : []),
  ].join('');
  $('consent').dataset.doNotMarket = String(d.active);
}

// ---- the profile ----
async function loadProfile(id) {
  try {
    const profile = await (await api(`/v1/customers/${encodeURIComponent(id)}`)).json();
    state.customerId = profile.customerId;
    // a CRM id holding a number answers with its pseudonym: keep only that in the address bar
    if (profile.customerId !== id)
      history.replaceState(null, '', `?id=${encodeURIComponent(profile.customerId)}`);
    $('customer-id').textContent = profile.customerId;
    renderTags(profile.tags);
    renderConsent(profile.consent);
    $('profile').hidden = false;
    return true;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
    const erased = err.body?.error?.details?.find((d) => d.reason === 'erased');
    $('error').textContent = erased
      ? `该客户的画像已于 ${when(erased.message)} 按个人信息保护要求删除:标签、证据和营销同意记录都已清除,只保留删除记录。会话本身不在删除范围内,见下方时间线。`
      : '没有这个客户的画像:该客户还没有经过分析的会话,或会话刚刚上传、画像仍在生成(请稍后刷新)。请核对客户编号。';
    $('profile').hidden = true;
    return false;
  }
}

// ---- the conversations, newest first ----
function timelineItem(hit) {
  const li = document.createElement('li');
  li.dataset.id = hit.id;
  li.innerHTML = `<a class="conv-link" href="/console?conv=${encodeURIComponent(hit.id)}">
      <time datetime="${esc(hit.startedAt)}">${esc(when(hit.startedAt))}</time> · ${esc(labelName('channel', hit.channel))}</a>
    <span class="meta">坐席 ${esc(hit.agentId ?? '—')} · ${hit.utteranceCount} 句</span>
    <div class="labels">${labelChips(hit.analysis) || '<span class="meta">无标签</span>'}</div>`;
  return li;
}

async function loadTimeline(append = false) {
  const body = {
    customer: [state.customerId],
    sort: 'time',
    limit: 50,
    facets: false,
    ...(append && state.next ? { after: state.next } : {}),
  };
  const data = await (await postJson('/v1/search', body)).json();
  state.next = data.next;
  if (!append) {
    $('timeline').replaceChildren();
    $('timeline-count').textContent = `(共 ${data.total} 通)`;
  }
  $('timeline').append(...data.hits.map(timelineItem));
  if (!append && data.hits.length === 0)
    $('timeline').innerHTML = '<li class="meta">没有找到这个客户的会话。</li>';
  $('more').hidden = !data.next;
}
$('more').addEventListener('click', () => {
  loadTimeline(true).catch((err) => ($('error').textContent = err.message));
});

async function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  const id = new URLSearchParams(location.search).get('id')?.trim() ?? '';
  $('error').textContent = '';
  if (!id) {
    $('status').textContent = '';
    $('error').textContent = '链接里没有客户编号(?id=…):请在会话或检索结果中点击客户编号打开客户画像。';
    $('customer').setAttribute('aria-busy', 'false');
    return;
  }
  state.customerId = id;
  $('customer-id').textContent = masked(id);
  document.title = `客户画像 ${masked(id)} · 客户之声`;
  try {
    await loadProfile(id);
    document.title = `客户画像 ${masked(state.customerId)} · 客户之声`;
    await loadTimeline();
  } catch (err) {
    $('error').textContent = err.message;
  } finally {
    $('status').textContent = '';
    $('customer').setAttribute('aria-busy', 'false');
    $('customer').dataset.state = 'done';
  }
}

if (sessionStorage.getItem(KEY)) void start();
else signOut();
