/** Label ids fixed by ../shared/taxonomy.md. Ids are a public contract: extend, never rename. */
export const COMPLAINT_CATEGORIES = [
  'fees',
  'interest_rate',
  'service_attitude',
  'wait_time',
  'system_failure',
  'account_restriction',
  'fraud_dispute',
  'debt_collection',
  'mis_selling',
  'process_complexity',
  'marketing_harassment',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export const ESCALATIONS = ['regulator', 'media', 'legal', 'account_closure'] as const;
export type Escalation = (typeof ESCALATIONS)[number];

export const COMPETITOR_IDS = [
  'icbc',
  'ccb',
  'abc',
  'boc',
  'bocom',
  'psbc',
  'cmb',
  'citic',
  'spdb',
  'cib',
  'cmbc',
  'ceb',
  'hxb',
  'cgb',
  'pingan',
  'bob',
  'bosc',
  'webank',
  'mybank',
  'alipay',
  'wechat_pay',
  'jd_finance',
  'meituan',
  'duxiaoman',
  'hsbc',
  'citi',
  'standard_chartered',
  'other_bank',
] as const;
export type CompetitorId = (typeof COMPETITOR_IDS)[number];

export const ASPECTS = [
  'rate',
  'fee',
  'credit_limit',
  'service',
  'app_experience',
  'promotion',
  'approval_speed',
  'other',
] as const;
export type Aspect = (typeof ASPECTS)[number];

export const NEEDS = [
  'credit_card_new',
  'credit_limit_increase',
  'installment',
  'personal_loan',
  'mortgage',
  'car_loan',
  'business_loan',
  'wealth_management',
  'deposit',
  'insurance',
  'fx_overseas',
  'pension',
  'precious_metals',
] as const;
export type Need = (typeof NEEDS)[number];

export const LIFE_EVENTS = [
  'job_change',
  'marriage',
  'new_child',
  'home_purchase',
  'car_purchase',
  'study_abroad',
  'retirement',
  'business_start',
] as const;
export type LifeEvent = (typeof LIFE_EVENTS)[number];
