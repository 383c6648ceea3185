// 客户在说什么: words of customer utterances over-represented in the result, and words rising
// against the previous period (GET /v1/search/phrases). A click adds the word to the search.
import { api } from './api.js';
import { esc } from './marks.js';
import { toQueryString } from './view-state.js';

const $ = (id) => document.getElementById(id);

function buttons(items, title) {
  if (!items.length) return '';
  return `<div class="phrase-group"><span class="meta">${title}</span> ${items
    .map(
      (p) =>
        `<button type="button" class="phrase${p.significant ? ' significant' : ''}" data-phrase="${esc(p.phrase)}" title="${esc(p.title)}">${esc(p.phrase)} <span class="count">${esc(p.label)}</span></button>`,
    )
    .join('')}</div>`;
}

/** Loads and shows the phrases of a search; isCurrent() tells whether the search is still the latest. */
export async function loadPhrases(params, isCurrent, onPick) {
  const box = $('phrases');
  box.setAttribute('aria-busy', 'true');
  try {
    const res = await api(`/v1/search/phrases?${toQueryString(params)}`);
    const data = await res.json();
    if (!isCurrent()) return;
    const top = data.top.map((p) => ({
      phrase: p.phrase,
      label: String(p.count),
      title: `结果中 ${Math.round(p.share * 100)}% 的会话,全时段 ${Math.round(p.backgroundShare * 100)}%`,
    }));
    const rising = (data.rising ?? []).map((p) => ({
      phrase: p.phrase,
      label: `${p.previous}→${p.count}${p.significant ? '*' : ''}`,
      significant: p.significant,
      title: `上期 ${p.previous} 通,本期 ${p.count} 通${p.significant ? ',上升显著' : ''}`,
    }));
    box.innerHTML =
      buttons(top, '特征词') + buttons(rising, '上升') || '<span class="meta">结果太少,暂无特征词</span>';
    box.dataset.sample = String(data.sample);
    for (const b of box.querySelectorAll('button.phrase'))
      b.addEventListener('click', () => onPick(b.dataset.phrase));
  } catch (err) {
    if (isCurrent()) box.textContent = err.message;
  } finally {
    box.removeAttribute('aria-busy');
  }
}
