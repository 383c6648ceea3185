// Facet lists and the chips of the active filters. Counts come from the API as disjunctive facets:
// a facet with ticked values still lists its other values, counted as if they were ticked too
// (OR within a facet, AND across facets).
import { FACETS, labelName } from './labels.js';
import { esc } from './marks.js';
import { changeTest, holm } from './significance.js';

function changeText(count, prev) {
  if (prev === undefined) return '';
  const diff = count - prev;
  if (diff === 0) return '±0';
  return diff > 0 ? `↑${diff}` : `↓${-diff}`;
}

/**
 * facets: the API's facet counts; view: the current view; compare: { facets, total, prevTotal } of
 * the previous period or undefined; onToggle(param, value, checked).
 */
export function renderFacets(box, facets, view, { compare, onToggle }) {
  box.innerHTML = '';
  if (!facets) return;
  for (const [facet, title, param] of FACETS) {
    const selected = view.filters[param] ?? [];
    const values = [...(facets[facet] ?? [])];
    for (const v of selected) if (!values.some((x) => x.value === v)) values.push({ value: v, count: 0 });
    if (!values.length) continue;
    const previous = compare
      ? new Map((compare.facets[facet] ?? []).map((x) => [x.value, x.count]))
      : undefined;
    const significantAt = previous
      ? holm(
          values.map(({ value, count }) =>
            changeTest(count, compare.total, previous.get(value) ?? 0, compare.prevTotal),
          ),
        )
      : [];
    const div = document.createElement('div');
    div.className = 'card facet';
    div.dataset.facet = facet;
    div.innerHTML = `<h3>${esc(title)}${selected.length ? ` <span class="meta">(已选 ${selected.length},任一)</span>` : ''}</h3><ul></ul>`;
    values.forEach(({ value, count }, i) => {
      const li = document.createElement('li');
      const checked = selected.includes(value);
      const prev = previous ? (previous.get(value) ?? 0) : undefined;
      const change = changeText(count, prev);
      const sig = significantAt[i] === true;
      li.innerHTML = `<label><input type="checkbox" ${checked ? 'checked' : ''} data-value="${esc(value)}"> <span class="name">${esc(labelName(facet, value))}</span> <span class="count">${count}</span>${
        change
          ? ` <span class="change${sig ? ' significant' : ''}" title="与上期相比${sig ? ',变化显著' : ''}">${change}${sig ? '*' : ''}</span>`
          : ''
      }</label>`;
      li.querySelector('input').addEventListener('change', (e) => onToggle(param, value, e.target.checked));
      div.querySelector('ul').append(li);
    });
    box.append(div);
  }
}

const SPEAKERS = { customer: '仅客户', agent: '仅坐席' };

/** The chips of every active filter; each removes its filter. */
export function renderChips(box, view, onRemove) {
  box.innerHTML = '';
  const add = (text, remove) => {
    const chip = document.createElement('span');
    chip.className = 'chip filter-chip';
    chip.innerHTML = `${esc(text)}<button type="button" class="chip-remove" aria-label="移除 ${esc(text)}" title="移除">×</button>`;
    chip.querySelector('button').addEventListener('click', remove);
    box.append(chip);
  };
  if (view.from || view.to)
    add(`时间 ${view.from || '…'} ~ ${view.to || '…'}`, () => onRemove({ from: '', to: '', range: '' }));
  if (view.complaint) add(view.complaint === 'true' ? '仅投诉' : '非投诉', () => onRemove({ complaint: '' }));
  if (view.speaker !== 'all') add(SPEAKERS[view.speaker], () => onRemove({ speaker: 'all' }));
  if (view.agents.trim()) add(`坐席 ${view.agents.trim()}`, () => onRemove({ agents: '' }));
  for (const [facet, title, param] of FACETS) {
    for (const v of view.filters[param] ?? []) {
      add(`${title}:${labelName(facet, v)}`, () =>
        onRemove({ filters: { ...view.filters, [param]: view.filters[param].filter((x) => x !== v) } }),
      );
    }
  }
  if (!box.children.length) box.innerHTML = '<span class="meta">无(在下方勾选)</span>';
}
