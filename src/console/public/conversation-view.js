// The conversation view: a side panel on wide screens, full screen on narrow ones. Every utterance
// with its time offset where the source had one, label evidence and search matches both marked,
// and the label corrections of issue 4 (× on a label, 纠正 opens the Chinese label picker).
import { api, postJson } from './api.js';
import {
  analysisLabels,
  customerLink,
  evidenceName,
  labelChoices,
  labelChips,
  labelName,
  NAMES,
} from './labels.js';
import { esc, paint } from './marks.js';

const $ = (id) => document.getElementById(id);
let current; // { conv, q, hits: Map<utterance, spans> }
let hooks = { onCorrected: () => {}, onClose: () => {} };

export function initConversationView(h) {
  hooks = h;
  $('conv-close').addEventListener('click', () => closeConversation());
}

export function isOpen() {
  return !$('conversation').hidden;
}

export function openId() {
  return isOpen() ? current?.conv.id : undefined;
}

export function closeConversation({ silent = false } = {}) {
  if (!isOpen()) return;
  $('conversation').hidden = true;
  document.body.classList.remove('conv-open');
  current = undefined;
  if (!silent) hooks.onClose();
}

function speakerTag(speaker) {
  return `<span class="speaker ${speaker}">${NAMES.speaker[speaker] ?? speaker}</span>`;
}

function clock(ms) {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

async function queryHits(id, q) {
  if (!q) return new Map();
  const res = await api(`/v1/search/highlights/${encodeURIComponent(id)}?q=${encodeURIComponent(q)}`);
  const { highlights } = await res.json();
  return new Map(highlights.map((h) => [h.utterance, h.spans]));
}

/**
 * Opens a conversation; q is the search whose matches to mark (speaker scope included); utterance
 * (an index, e.g. from a tag's evidence on the customer page) is the sentence to show and mark.
 */
export async function openConversation(id, q, { focus = true, utterance = '' } = {}) {
  $('conversation').hidden = false;
  document.body.classList.add('conv-open');
  $('conv-status').textContent = '正在加载…';
  $('conversation').setAttribute('aria-busy', 'true');
  try {
    const [conv, hits] = await Promise.all([
      api(`/v1/conversations/${encodeURIComponent(id)}`).then((r) => r.json()),
      queryHits(id, q),
    ]);
    current = { conv, q, hits };
    $('conv-status').textContent = '';
    renderConversation();
    const target =
      utterance === ''
        ? $('conv-utterances').querySelector('mark.hit, mark.evidence')?.closest('li')
        : $('conv-utterances').querySelector(`li[data-utterance="${Number(utterance)}"]`);
    if (target && utterance !== '') {
      target.classList.add('focused');
      target.setAttribute('aria-current', 'true');
    }
    target?.scrollIntoView({ block: 'center' });
    if (focus) $('conv-close').focus({ preventScroll: true });
    void loadCorrections(conv.id);
  } catch (err) {
    $('conv-status').textContent = err.message;
  } finally {
    $('conversation').removeAttribute('aria-busy');
  }
}

function renderConversation() {
  const { conv, hits } = current;
  $('conv-title').textContent = `会话 ${conv.id}`;
  const when = new Date(conv.startedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
  // Nothing in the upload gave a time: the one shown is when the file was received.
  const undated =
    conv.startedAtSource === 'received'
      ? ' <span class="undated" title="上传的文件、清单和文件名都没有通话时间，显示的是接收时间">来源未注明时间（按接收时间）</span>'
      : '';
  $('conv-labels').innerHTML =
    `<div class="meta">${esc(when)}${undated} · ${esc(labelName('channel', conv.channel))} · 坐席 ${esc(conv.agentId ?? '—')} · 客户 ${customerLink(conv.customerId)} · 情绪 ${conv.analysis.sentiment.customer.toFixed(2)}</div>${labelChips(conv.analysis)}`;
  const list = $('conv-utterances');
  list.innerHTML = '';
  conv.utterances.forEach((u, i) => {
    const evidence = conv.analysis.evidence.filter((e) => e.utterance === i);
    const html = paint(u.text, [
      { cls: 'evidence', spans: evidence.map((e) => [e.start, e.end]) },
      { cls: 'hit', spans: hits.get(i) ?? [] },
    ]);
    const li = document.createElement('li');
    li.dataset.utterance = String(i);
    const labels = [...new Set(evidence.map((e) => e.label))];
    const customer = u.speaker === 'customer';
    const chips = labels
      .map(
        (l) =>
          `<span class="chip" data-label="${esc(l)}">${esc(evidenceName(l))}${customer ? `<button class="remove-label" data-label="${esc(l)}" title="标注有误,移除" aria-label="移除标注 ${esc(evidenceName(l))}">×</button>` : ''}</span>`,
      )
      .join('');
    const time = Number.isFinite(u.startMs) ? `<time class="offset">${clock(u.startMs)}</time>` : '';
    li.innerHTML = `<div class="line">${time}${speakerTag(u.speaker)}<span class="text">${html}</span></div><div class="labels">${chips}${customer ? '<button class="link correct" title="标注有误或漏标">纠正</button>' : ''}</div>`;
    for (const button of li.querySelectorAll('.remove-label'))
      button.addEventListener('click', () => correct(i, 'remove', button.dataset.label));
    li.querySelector('.correct')?.addEventListener('click', () => openPicker(li, i));
    list.append(li);
  });
}

/** The label picker under one customer sentence: remove a label the conversation has, or add a missed one. */
function openPicker(li, utterance) {
  li.querySelector('.correction-form')?.remove();
  const { analysis } = current.conv;
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
  const { conv } = current;
  $('conv-status').textContent = '';
  try {
    await postJson(`/v1/conversations/${encodeURIComponent(conv.id)}/corrections`, {
      utterance,
      label,
      action,
    });
    const fresh = await (await api(`/v1/conversations/${encodeURIComponent(conv.id)}`)).json();
    current = { ...current, conv: fresh };
    renderConversation();
    $('conv-status').textContent =
      `已记录:第 ${utterance + 1} 句 ${action === 'add' ? '添加' : '移除'} ${evidenceName(label)}`;
    void loadCorrections(conv.id);
    hooks.onCorrected(); // facets and counts follow the corrected labels
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
