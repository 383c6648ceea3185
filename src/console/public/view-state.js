/* global URLSearchParams */
// The console's view as plain data, and its round trip through the URL: a link opens the same
// view (query, filters, period, open conversation and the sentence in it) for another analyst;
// back/forward restore it.
import { FACETS } from './labels.js';

/** Facet parameters that hold a list of values (OR within the facet). */
export const LIST_PARAMS = FACETS.map((f) => f[2]);

export function emptyView() {
  return {
    q: '',
    speaker: 'all',
    range: '',
    from: '',
    to: '',
    complaint: '',
    agents: '',
    sort: 'relevance',
    interval: 'week',
    compare: false,
    filters: {},
    conv: '',
    // the sentence of the open conversation to show (0-based utterance index; the customer page's
    // evidence links point here)
    utt: '',
  };
}

const SCALARS = [
  'q',
  'speaker',
  'range',
  'from',
  'to',
  'complaint',
  'agents',
  'sort',
  'interval',
  'conv',
  'utt',
];
const DEFAULTS = emptyView();

/** The view as a query string: only what differs from the defaults, lists comma-separated. */
export function viewToSearch(view) {
  const qs = new URLSearchParams();
  for (const key of SCALARS) if (view[key] && view[key] !== DEFAULTS[key]) qs.set(key, view[key]);
  if (view.compare) qs.set('compare', '1');
  for (const param of LIST_PARAMS) {
    const values = view.filters[param] ?? [];
    if (values.length) qs.set(param, values.join(','));
  }
  const text = qs.toString();
  return text ? `?${text}` : '';
}

/** A view from a query string; unknown parameters are ignored. */
export function searchToView(search) {
  const qs = new URLSearchParams(search);
  const view = emptyView();
  for (const key of SCALARS) if (qs.has(key)) view[key] = qs.get(key) ?? '';
  view.compare = qs.get('compare') === '1';
  for (const param of LIST_PARAMS) {
    const raw = qs.get(param);
    if (raw) view.filters[param] = raw.split(',').filter(Boolean);
  }
  if (!['all', 'customer', 'agent'].includes(view.speaker)) view.speaker = 'all';
  if (!['relevance', 'time'].includes(view.sort)) view.sort = 'relevance';
  if (!['day', 'week', 'month'].includes(view.interval)) view.interval = 'week';
  if (!['', 'true', 'false'].includes(view.complaint)) view.complaint = '';
  if (!/^\d{1,6}$/.test(view.utt) || !view.conv) view.utt = '';
  return view;
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

/** The /v1/search parameters of a view (without paging). */
export function viewToParams(view) {
  const params = { sort: view.sort, interval: view.interval };
  const q = view.q.trim();
  if (q) params.q = view.speaker === 'all' ? q : `speaker:${view.speaker} ${q}`;
  if (view.from) params.from = view.from;
  if (view.to) params.to = view.to;
  if (view.complaint) params.complaint = view.complaint === 'true';
  for (const param of LIST_PARAMS) {
    const values = view.filters[param] ?? [];
    if (!values.length) continue;
    // the API takes one channel; both ticked means either, which is no filter at all
    if (param === 'channel') {
      if (values.length === 1) params.channel = values[0];
    } else params[param] = [...values];
  }
  const agents = expandAgents(view.agents);
  if (agents.length) params.agent = [...new Set([...(params.agent ?? []), ...agents])];
  return params;
}

/** A view from saved-search parameters (as viewToParams made them). */
export function paramsToView(p) {
  const view = emptyView();
  let q = p.q ?? '';
  const m = /^speaker:(customer|agent)\s+/.exec(q);
  if (m) {
    view.speaker = m[1];
    q = q.slice(m[0].length);
  }
  view.q = q;
  view.from = p.from ?? '';
  view.to = p.to ?? '';
  view.range = view.from || view.to ? 'custom' : '';
  view.sort = p.sort ?? 'relevance';
  view.interval = p.interval ?? 'week';
  if (p.complaint !== undefined) view.complaint = String(p.complaint);
  for (const param of LIST_PARAMS) {
    if (Array.isArray(p[param])) view.filters[param] = [...p[param]];
    else if (typeof p[param] === 'string') view.filters[param] = [p[param]];
  }
  return view;
}

/** The query string of /v1/search/export and similar GET routes. */
export function toQueryString(params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) qs.set(k, Array.isArray(v) ? v.join(',') : String(v));
  return qs.toString();
}

// ---- periods ----
/** Today in China Standard Time, YYYY-MM-DD. */
export function cstDate(d) {
  return new Date(d.getTime() + 8 * 3600e3).toISOString().slice(0, 10);
}

/** from/to of a named range ('' clears both; 'custom' keeps them). */
export function rangeDates(range, now = new Date(), current = { from: '', to: '' }) {
  const today = cstDate(now);
  if (range === '') return { from: '', to: '' };
  if (range === 'custom') return current;
  if (range === 'thisMonth') return { from: `${today.slice(0, 7)}-01`, to: today };
  if (range === 'lastMonth') {
    const [y, m] = today.split('-').map(Number);
    const first = new Date(Date.UTC(m === 1 ? y - 1 : y, m === 1 ? 11 : m - 2, 1));
    const last = new Date(Date.UTC(y, m - 1, 0));
    return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
  }
  return { from: cstDate(new Date(now.getTime() - Number(range) * 864e5)), to: today };
}

/** The last day of the histogram bucket starting at `key` (YYYY-MM-DD). */
export function bucketEnd(key, interval) {
  const d = new Date(`${key}T00:00:00Z`);
  if (interval === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCDate(d.getUTCDate() + (interval === 'week' ? 7 : 1));
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The period just before from..to (inclusive dates): whole calendar months for a period of whole
 * months (October → September), else the same number of days.
 */
export function previousPeriod(from, to) {
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  if (from.endsWith('-01') && next.getUTCDate() === 1) {
    const [fy, fm] = from.split('-').map(Number);
    const months = (next.getUTCFullYear() - fy) * 12 + next.getUTCMonth() + 1 - fm;
    const start = new Date(Date.UTC(fy, fm - 1 - months, 1));
    const end = new Date(Date.UTC(fy, fm - 1, 0));
    return { from: start.toISOString().slice(0, 10), to: end.toISOString().slice(0, 10) };
  }
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  const days = Math.round((end - start) / 864e5) + 1;
  const prevEnd = new Date(start - 864e5);
  const prevStart = new Date(start - days * 864e5);
  return { from: prevStart.toISOString().slice(0, 10), to: prevEnd.toISOString().slice(0, 10) };
}
