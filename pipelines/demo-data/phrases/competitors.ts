/** Competitor names as customers say them, and what they say about them (aspect, switching). */
import type { Aspect, CompetitorId } from '../../../src/domain/labels.js';

export type CompetitorKind = 'bank' | 'fintech';

export interface CompetitorNames {
  kind: CompetitorKind;
  names: readonly string[];
  /** Relative frequency in conversations: the big banks and the payment apps come up most. */
  weight: number;
}

export const COMPETITORS: Readonly<Record<CompetitorId, CompetitorNames>> = {
  icbc: { kind: 'bank', names: ['工商银行', '工行'], weight: 8 },
  ccb: { kind: 'bank', names: ['建设银行', '建行'], weight: 7 },
  abc: { kind: 'bank', names: ['农业银行', '农行'], weight: 5 },
  boc: { kind: 'bank', names: ['中国银行', '中行'], weight: 5 },
  bocom: { kind: 'bank', names: ['交通银行', '交行'], weight: 3 },
  psbc: { kind: 'bank', names: ['邮储银行', '邮政储蓄'], weight: 3 },
  cmb: { kind: 'bank', names: ['招商银行', '招行', '掌上生活'], weight: 9 },
  citic: { kind: 'bank', names: ['中信银行', '中信'], weight: 2 },
  spdb: { kind: 'bank', names: ['浦发银行', '浦发'], weight: 2 },
  cib: { kind: 'bank', names: ['兴业银行', '兴业'], weight: 2 },
  cmbc: { kind: 'bank', names: ['民生银行', '民生'], weight: 2 },
  ceb: { kind: 'bank', names: ['光大银行', '光大'], weight: 2 },
  hxb: { kind: 'bank', names: ['华夏银行'], weight: 1 },
  cgb: { kind: 'bank', names: ['广发银行', '广发'], weight: 2 },
  pingan: { kind: 'bank', names: ['平安银行', '平安普惠', '陆金所'], weight: 3 },
  bob: { kind: 'bank', names: ['北京银行'], weight: 1 },
  bosc: { kind: 'bank', names: ['上海银行'], weight: 1 },
  webank: { kind: 'fintech', names: ['微众银行', '微粒贷'], weight: 3 },
  mybank: { kind: 'fintech', names: ['网商银行', '网商贷'], weight: 2 },
  alipay: { kind: 'fintech', names: ['支付宝', '余额宝', '花呗', '借呗', '蚂蚁'], weight: 9 },
  wechat_pay: { kind: 'fintech', names: ['微信支付', '零钱通', '理财通', '财付通'], weight: 5 },
  jd_finance: { kind: 'fintech', names: ['京东金融', '京东白条', '金条'], weight: 3 },
  meituan: { kind: 'fintech', names: ['美团月付', '美团借钱'], weight: 1 },
  duxiaoman: { kind: 'fintech', names: ['度小满', '有钱花'], weight: 1 },
  hsbc: { kind: 'bank', names: ['汇丰银行', '汇丰'], weight: 1 },
  citi: { kind: 'bank', names: ['花旗银行', '花旗'], weight: 1 },
  standard_chartered: { kind: 'bank', names: ['渣打银行', '渣打'], weight: 1 },
  other_bank: {
    kind: 'bank',
    names: [
      '宁波银行',
      '杭州银行',
      '江苏银行',
      '南京银行',
      '浙商银行',
      '渤海银行',
      '徽商银行',
      '我们县的农商行',
      '北京农商银行',
      '成都银行',
    ],
    weight: 4,
  },
};

/** Templates: {b} is the competitor as the customer names it. */
export const ASPECT_PHRASES: Readonly<Record<Aspect, Readonly<Record<CompetitorKind, readonly string[]>>>> = {
  rate: {
    bank: [
      '{b}的大额存单利率比你们高',
      '{b}那边三年定期给到百分之二点几了',
      '{b}的房贷利率才三点一',
      '人家{b}的理财收益都比你们高',
    ],
    fintech: ['{b}的收益都比你们定期高', '放{b}里收益还高一点', '{b}借钱利息比你们低'],
  },
  fee: {
    bank: ['{b}的信用卡刷六次就免年费', '{b}跨行转账都不收手续费', '{b}的卡没有管理费'],
    fintech: ['{b}转账都不要手续费', '用{b}还信用卡都不收费'],
  },
  credit_limit: {
    bank: ['{b}直接给我批了五万的额度', '{b}的信用卡额度比你们高多了', '{b}给我提额提到八万了'],
    fintech: ['{b}给我的额度有三万', '{b}额度都比你们高'],
  },
  service: {
    bank: ['{b}的客服态度比你们好多了', '{b}那边的客户经理服务很周到', '{b}打电话一下就接通了'],
    fintech: ['{b}的在线客服回复很快', '{b}有问题马上就有人处理'],
  },
  app_experience: {
    bank: ['{b}的APP比你们好用', '{b}的手机银行操作简单多了', '{b}的APP从来不卡'],
    fintech: ['{b}用起来方便多了', '{b}点两下就办完了'],
  },
  promotion: {
    bank: ['{b}新开卡送行李箱', '{b}刷卡有返现,积分也多', '{b}周三吃饭五折'],
    fintech: ['{b}天天有红包', '用{b}付款还有立减优惠'],
  },
  approval_speed: {
    bank: ['{b}的贷款一天就放款了', '{b}审批特别快,当天就批下来了'],
    fintech: ['{b}借钱几分钟就到账', '{b}申请完马上就批了'],
  },
  other: {
    bank: ['我朋友都在用{b}', '{b}的网点离我家近'],
    fintech: ['现在大家都用{b}', '我平时都用{b}'],
  },
};

/** Switching intent (taxonomy.md: moving money or business there, intended or done). */
export const SWITCHING_PHRASES: Readonly<Record<CompetitorKind, readonly string[]>> = {
  bank: [
    '我打算把钱都转到{b}去',
    '我已经把工资卡换成{b}的了',
    '下个月定期到期我就取出来存{b}',
    '房贷我准备转到{b}那边',
  ],
  fintech: ['我已经把钱都转到{b}了', '以后我就用{b}了', '我打算把存款放到{b}里'],
};

/** Agents naming banks while explaining a procedure: taxonomy.md says this creates no label. */
export const AGENT_NAMES_BANK: readonly string[] = [
  '他行卡转入的话,比如建行或者工行的卡,一般都是实时到账的',
  '如果是招行的卡出现问题,需要您联系招行那边处理',
  '您绑定的是农行的卡,扣款失败的话建议您确认一下农行卡的余额',
  '支付宝和微信支付的快捷支付限额是分开设置的',
];
