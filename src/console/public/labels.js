import { esc } from './marks.js';
import { NAMES } from './label-names.js';

// Facets: the field, its Chinese heading, the NAMES list its values are named from.
export const FACETS = [
  ['complaintCategory', '投诉类别', 'complaintCategory'],
  ['escalation', '升级倾向', 'escalation'],
  ['competitor', '竞品', 'competitor'],
  ['aspect', '竞品维度', 'aspect'],
  ['switchingIntent', '转移意向(竞品)', 'switching'],
  ['need', '需求', 'need'],
  ['declinedNeed', '拒绝的需求', 'declinedNeed'],
  ['lifeEvent', '人生事件', 'lifeEvent'],
  ['channel', '渠道', 'channel'],
  ['agent', '坐席', 'agent'],
];

// NAMES: the server's one list (src/domain/label-names.ts), served as a module.
export { NAMES };
NAMES.switchingIntent = NAMES.competitor;
NAMES.declinedNeed = NAMES.need;

export function labelName(facet, value) {
  return NAMES[facet]?.[value] ?? value;
}

// Flat labels (evidence and corrections): "complaint", "complaint:fees", "aspect:cmb/rate", "switching:cmb".
const KINDS = {
  complaint: ['投诉', 'complaintCategory'],
  escalation: ['升级', 'escalation'],
  competitor: ['竞品', 'competitor'],
  aspect: ['竞品维度', 'aspect'],
  switching: ['转移意向', 'competitor'],
  need: ['需求', 'need'],
  declinedNeed: ['拒绝', 'declinedNeed'],
  lifeEvent: ['事件', 'lifeEvent'],
};

/** A flat label to a Chinese chip text, e.g. "complaint:fees" → "投诉·收费/手续费/年费". */
export function evidenceName(label) {
  if (label === 'complaint') return '投诉';
  const at = label.indexOf(':');
  const kind = label.slice(0, at);
  const value = label.slice(at + 1);
  const [prefix, facet] = KINDS[kind] ?? [kind, kind];
  if (kind === 'aspect') {
    const [competitor, aspect] = value.split('/');
    return `${prefix}·${labelName('competitor', competitor)}/${labelName('aspect', aspect)}`;
  }
  return `${prefix}·${labelName(facet, value)}`;
}

/** Every flat label of an analysis (the API's form), for the correction picker. */
export function analysisLabels(a) {
  const out = [];
  if (a.complaint.is) out.push('complaint');
  for (const c of a.complaint.categories) out.push(`complaint:${c}`);
  for (const e of a.complaint.escalation) out.push(`escalation:${e}`);
  for (const c of a.competitors) {
    out.push(`competitor:${c.id}`);
    for (const x of c.aspects) out.push(`aspect:${c.id}/${x}`);
    if (c.switchingIntent) out.push(`switching:${c.id}`);
  }
  for (const n of a.needs) out.push(`need:${n}`);
  for (const n of a.declinedNeeds) out.push(`declinedNeed:${n}`);
  for (const l of a.lifeEvents) out.push(`lifeEvent:${l}`);
  return out;
}

/**
 * The labels an analyst can pick, grouped: [[group title, [[label, Chinese name]…]]…]. Aspects are
 * offered for the competitors the conversation already has (pick the competitor first otherwise).
 */
export function labelChoices(competitorsPresent = []) {
  const ids = (facet) => Object.keys(NAMES[facet]);
  const group = (title, labels) => [title, labels.map((l) => [l, evidenceName(l)])];
  return [
    group('投诉', ['complaint', ...ids('complaintCategory').map((c) => `complaint:${c}`)]),
    group(
      '升级倾向',
      ids('escalation').map((e) => `escalation:${e}`),
    ),
    group(
      '竞品',
      ids('competitor').map((c) => `competitor:${c}`),
    ),
    group(
      '竞品维度',
      competitorsPresent.flatMap((c) => ids('aspect').map((x) => `aspect:${c}/${x}`)),
    ),
    group(
      '转移意向(竞品)',
      ids('competitor').map((c) => `switching:${c}`),
    ),
    group(
      '需求',
      ids('need').map((n) => `need:${n}`),
    ),
    group(
      '拒绝的需求',
      ids('need').map((n) => `declinedNeed:${n}`),
    ),
    group(
      '人生事件',
      ids('lifeEvent').map((l) => `lifeEvent:${l}`),
    ),
  ].filter(([, options]) => options.length > 0);
}

// ---- customer tags (the profile's keys, e.g. need.mortgage, competitor.cmb.rate) ----
const TAG_FAMILIES = {
  need: ['需求', 'need'],
  need_declined: ['拒绝的需求', 'need'],
  life: ['人生事件', 'lifeEvent'],
  complaint: ['投诉', 'complaintCategory'],
  escalation: ['升级倾向', 'escalation'],
  competitor: ['竞品', 'competitor'],
  switching: ['转移意向', 'competitor'],
};

/** A tag key in Chinese: "need.mortgage" → "需求·房贷", "competitor.cmb.rate" → "竞品·招商银行/利率/收益". */
export function tagName(key) {
  if (key === 'complaint.open') return '投诉未解决';
  if (key === 'consent.do_not_market') return '拒绝营销(勿营销)';
  const [family, id, aspect] = key.split('.');
  const [prefix, facet] = TAG_FAMILIES[family] ?? [family, family];
  const name = labelName(facet, id);
  return aspect ? `${prefix}·${name}/${labelName('aspect', aspect)}` : `${prefix}·${name}`;
}

/** The chip colour of a tag key (as for the labels of a conversation). */
export function tagClass(key) {
  if (/^(complaint|escalation)\./.test(key)) return 'complaint';
  if (/^(competitor|switching)\./.test(key)) return 'competitor';
  return '';
}

export const TAG_STATUS = { active: '有效', exited: '已失效' };

/** Why a tag exited (the profile's exitReason). */
export const EXIT_REASONS = {
  expired: '超过有效期',
  declined: '客户之后拒绝了该产品',
  needed_again: '客户之后又需要该产品',
  resolved: '之后的会话显示已解决',
  corrected: '分析员纠正后不再成立',
  consent_given: '客户已同意营销',
};

/** The customer page of an id (as stored: names and numbers are already redacted), as a link. */
export function customerLink(customerId) {
  if (!customerId) return '—';
  return `<a class="customer-link" href="/console/customer.html?id=${encodeURIComponent(customerId)}" title="查看客户画像">${esc(customerId)}</a>`;
}

export const ERRORS = {
  unauthorized: 'API 密钥无效或已吊销,请重新登录',
  forbidden: '该密钥没有分析员权限',
  invalid_request: '查询有误',
  store_unavailable: '检索服务暂时不可用,请稍后重试',
  not_found: '未找到',
  not_owner: '这是同事共享的搜索,只有创建者可以修改或删除',
  conflict: '与当前标注冲突',
  correction_pending: '纠正已保存,将在重新分析后生效',
};

/** Query syntax errors by the API's reason code: what to tell the analyst. */
export const SYNTAX = {
  missing_close: '缺少右括号 )',
  unclosed_quote: '引号没有闭合,请补上 "',
  unexpected_close: '多了一个右括号 )',
  unexpected_or: 'OR 前面缺少词语',
  unexpected_near: 'NEAR 前面缺少词语',
  unexpected_not: '排除符号后缺少词语',
  unexpected_open: '括号位置不对',
  ends_early: '查询不完整',
  operator_needs_word: '运算符后面缺少词语',
  near_needs_words: 'NEAR 两边都需要词语',
  unknown_speaker: '说话人只能是 customer(客户)、agent(坐席)或 all',
};

/** The label chips of an analysis (result list and conversation header). */
export function labelChips(a) {
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
