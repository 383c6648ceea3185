/**
 * Chinese display names of the taxonomy ids: the one list behind exports, reports, tag files and
 * the console (served to it as /console/label-names.js). Ids are the contract; names may change.
 */
import type { Channel, Utterance } from './conversation.js';
import type { Aspect, ComplaintCategory, CompetitorId, Escalation, LifeEvent, Need } from './labels.js';

export const COMPLAINT_CATEGORY_NAMES: Record<ComplaintCategory, string> = {
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
};

export const ESCALATION_NAMES: Record<Escalation, string> = {
  regulator: '监管投诉',
  media: '媒体曝光',
  legal: '法律途径',
  account_closure: '销户/转走资金',
};

export const COMPETITOR_NAMES: Record<CompetitorId, string> = {
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
  pingan: '平安银行',
  bob: '北京银行',
  bosc: '上海银行',
  webank: '微众银行',
  mybank: '网商银行',
  alipay: '支付宝/余额宝',
  wechat_pay: '微信支付/零钱通',
  jd_finance: '京东金融',
  meituan: '美团',
  duxiaoman: '度小满',
  hsbc: '汇丰银行',
  citi: '花旗银行',
  standard_chartered: '渣打银行',
  other_bank: '其他银行',
};

export const ASPECT_NAMES: Record<Aspect, string> = {
  rate: '利率/收益',
  fee: '费用',
  credit_limit: '额度',
  service: '服务',
  app_experience: 'APP体验',
  promotion: '优惠活动',
  approval_speed: '审批速度',
  other: '其他',
};

export const NEED_NAMES: Record<Need, string> = {
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
};

export const LIFE_EVENT_NAMES: Record<LifeEvent, string> = {
  job_change: '换工作',
  marriage: '结婚',
  new_child: '添丁',
  home_purchase: '买房/装修',
  car_purchase: '买车',
  study_abroad: '出国留学',
  retirement: '退休',
  business_start: '创业',
};

export const CHANNEL_NAMES: Record<Channel, string> = { call: '电话', chat: '在线' };

export const SPEAKER_NAMES: Record<Utterance['speaker'], string> = {
  customer: '客户',
  agent: '坐席',
  system: '系统',
};

/** Every list by the console's facet names (src/console/public/labels.js reads this). */
export const LABEL_NAMES = {
  complaintCategory: COMPLAINT_CATEGORY_NAMES,
  escalation: ESCALATION_NAMES,
  competitor: COMPETITOR_NAMES,
  aspect: ASPECT_NAMES,
  need: NEED_NAMES,
  lifeEvent: LIFE_EVENT_NAMES,
  channel: CHANNEL_NAMES,
  speaker: SPEAKER_NAMES,
} as const;
