import { esc } from './marks.js';

// Chinese display names of taxonomy ids (ids are the contract; names may change).
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

export const NAMES = {
  complaintCategory: {
    fees: '收费/手续费/年费',
    interest_rate: '利息/利率',
    service_attitude: '服务态度',
    wait_time: '等待/难以接通',
    system_failure: '系统/APP故障',
    account_restriction: '账户/卡片限制',
    fraud_dispute: '盗刷/争议交易',
    debt_collection: '催收',
    mis_selling: '误导销售',
    process_complexity: '手续繁琐',
    marketing_harassment: '营销骚扰',
    other: '其他',
  },
  escalation: {
    regulator: '监管投诉',
    media: '媒体曝光',
    legal: '法律途径',
    account_closure: '销户/转走资金',
  },
  competitor: {
    icbc: '工商银行',
    ccb: '建设银行',
    abc: '农业银行',
    boc: '中国银行',
    bocom: '交通银行',
    psbc: '邮储银行',
    cmb: '招商银行',
    citic: '中信银行',
    spdb: '浦发银行',
    cib: '兴业银行',
    cmbc: '民生银行',
    ceb: '光大银行',
    hxb: '华夏银行',
    cgb: '广发银行',
    pingan: '平安',
    bob: '北京银行',
    bosc: '上海银行',
    webank: '微众银行',
    mybank: '网商银行',
    alipay: '支付宝/余额宝',
    wechat_pay: '微信支付/零钱通',
    jd_finance: '京东金融',
    meituan: '美团',
    duxiaoman: '度小满',
    hsbc: '汇丰',
    citi: '花旗',
    standard_chartered: '渣打',
    other_bank: '其他银行',
  },
  aspect: {
    rate: '利率/收益',
    fee: '费用',
    credit_limit: '额度',
    service: '服务',
    app_experience: 'APP体验',
    promotion: '优惠活动',
    approval_speed: '审批速度',
    other: '其他',
  },
  need: {
    credit_card_new: '办信用卡',
    credit_limit_increase: '提额',
    installment: '分期',
    personal_loan: '消费贷',
    mortgage: '房贷',
    car_loan: '车贷',
    business_loan: '经营贷',
    wealth_management: '理财/基金',
    deposit: '定期/大额存单',
    insurance: '保险',
    fx_overseas: '换汇/境外',
    pension: '养老金',
    precious_metals: '贵金属',
  },
  lifeEvent: {
    job_change: '换工作',
    marriage: '结婚',
    new_child: '添丁',
    home_purchase: '买房/装修',
    car_purchase: '买车',
    study_abroad: '出国留学',
    retirement: '退休',
    business_start: '创业',
  },
  channel: { call: '电话', chat: '在线' },
  speaker: { customer: '客户', agent: '坐席', system: '系统' },
};
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
