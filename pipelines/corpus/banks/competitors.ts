import type { Aspect, CompetitorId } from '../../../src/domain/labels.js';
import type { Bank } from '../types.js';

/** Bank names per competitor (including ASR homophones). Dev gets some other surfaces. */
export const BANK_NAMES: Partial<Record<CompetitorId, Bank<string>>> = {
  icbc: { train: ['工商银行', '工行'], dev: ['工商'] },
  ccb: { train: ['建设银行', '建行'], dev: ['建行'] },
  abc: { train: ['农业银行', '农行'], dev: ['农业银行'] },
  boc: { train: ['中国银行', '中行'], dev: ['中国银行'] },
  bocom: { train: ['交通银行', '交行'], dev: ['交航'] },
  psbc: { train: ['邮储银行', '邮政储蓄'], dev: ['邮政银行'] },
  cmb: { train: ['招商银行', '招行', '招航'], dev: ['招行', '招商'] },
  citic: { train: ['中信银行'], dev: ['中信'] },
  spdb: { train: ['浦发银行'], dev: ['浦发'] },
  cib: { train: ['兴业银行'], dev: ['兴业'] },
  cmbc: { train: ['民生银行'], dev: ['民生'] },
  ceb: { train: ['光大银行'], dev: ['光大'] },
  hxb: { train: ['华夏银行'], dev: ['华夏银行'] },
  cgb: { train: ['广发银行'], dev: ['广发'] },
  pingan: { train: ['平安银行'], dev: ['平安银行'] },
  bob: { train: ['北京银行'], dev: ['北京银行'] },
  bosc: { train: ['上海银行'], dev: ['上海银行'] },
  webank: { train: ['微众银行'], dev: ['微众'] },
  mybank: { train: ['网商银行'], dev: ['网商银行'] },
  hsbc: { train: ['汇丰银行', '汇丰'], dev: ['汇丰'] },
  citi: { train: ['花旗银行'], dev: ['花旗'] },
  standard_chartered: { train: ['渣打银行'], dev: ['渣打'] },
  other_bank: {
    train: ['宁波银行', '杭州银行', '南京银行', '江苏银行', '浙商银行', '成都农商行', '徽商银行', '长沙银行'],
    dev: ['青岛银行', '深圳农商行', '哈尔滨银行', '厦门国际银行', '顺德农商银行'],
  },
};

/** Wallet / money-market products: compared on yield. */
export const WALLET_NAMES: Partial<Record<CompetitorId, Bank<string>>> = {
  alipay: { train: ['余额宝', '支付宝'], dev: ['余额包'] },
  wechat_pay: { train: ['零钱通', '理财通'], dev: ['微信理财通'] },
  cmb: { train: ['朝朝宝'], dev: ['掌上生活'] },
};

/** Consumer-credit products: compared on limit, speed, rate. */
export const CREDIT_NAMES: Partial<Record<CompetitorId, Bank<string>>> = {
  alipay: { train: ['花呗', '借呗'], dev: ['花贝', '蚂蚁借呗'] },
  webank: { train: ['微粒贷'], dev: ['微利贷'] },
  mybank: { train: ['网商贷'], dev: ['网商贷'] },
  jd_finance: { train: ['京东白条', '京东金融'], dev: ['京东金条', '白条'] },
  meituan: { train: ['美团月付', '美团借钱'], dev: ['美团月付'] },
  duxiaoman: { train: ['度小满', '有钱花'], dev: ['度小满金融'] },
  pingan: { train: ['平安普惠'], dev: ['陆金所'] },
  other_bank: { train: ['招联金融', '360借条'], dev: ['马上消费金融'] },
};

/** Comparison frames per aspect, {c} = competitor name. The competitor is better (or just different). */
export const ASPECT_FRAMES: Record<Exclude<Aspect, 'other'>, Bank<string>> = {
  rate: {
    train: [
      '{c}的存款利率比你们高',
      '{c}的大额存单利率都三点多了',
      '{c}那边理财收益比你们好',
      '人家{c}利息给得高多了',
      '{c}的定期利率高零点几个点',
    ],
    dev: ['{c}收益率能到百分之三', '{c}给的利息更划算', '同样存三年{c}利率更高'],
  },
  fee: {
    train: ['{c}的信用卡年费全免', '{c}跨行转账不收手续费', '{c}收费比你们便宜'],
    dev: ['{c}那边手续费全免', '{c}的卡不要年费'],
  },
  credit_limit: {
    train: ['{c}给我的额度比你们高多了', '{c}一下子给我批了五万额度', '{c}的信用额度给得大方'],
    dev: ['{c}那张卡额度有八万', '{c}给的额度是你们的两倍'],
  },
  service: {
    train: ['{c}的服务比你们好多了', '人家{c}的客服多专业', '{c}的服务态度好太多了'],
    dev: ['{c}的客户经理服务特别周到', '去{c}办业务人家服务很热情'],
  },
  app_experience: {
    train: ['{c}的APP比你们的好用', '{c}的手机银行操作简单多了', '{c}那个app界面清楚'],
    dev: ['{c}手机银行用起来顺手多了', '{c}的app功能全'],
  },
  promotion: {
    train: ['{c}刷卡有返现', '{c}的积分能换好多东西', '{c}开户送礼品', '{c}的优惠活动力度大'],
    dev: ['{c}新户有立减优惠', '{c}周三刷卡五折'],
  },
  approval_speed: {
    train: ['{c}的贷款审批快多了', '{c}放款当天就到账', '{c}审批一天就下来了'],
    dev: ['{c}两个小时就放款了', '{c}的审核速度快得多'],
  },
};

/** Wallet frames, {c} = wallet product. */
export const WALLET_FRAMES: Bank<{ text: string; aspects: Aspect[] }> = {
  train: [
    { text: '{c}的收益都比你们活期高', aspects: ['rate'] },
    { text: '放{c}里每天都有收益', aspects: ['rate'] },
    { text: '我平时零钱都放{c}', aspects: [] },
  ],
  dev: [
    { text: '放在{c}收益还高一点', aspects: ['rate'] },
    { text: '{c}用起来方便多了', aspects: ['app_experience'] },
  ],
};

/** Consumer-credit frames, {c} = credit product. */
export const CREDIT_FRAMES: Bank<{ text: string; aspects: Aspect[] }> = {
  train: [
    { text: '{c}借钱放款特别快', aspects: ['approval_speed'] },
    { text: '{c}给我的额度有五万', aspects: ['credit_limit'] },
    { text: '{c}的利息比你们的消费贷低', aspects: ['rate'] },
  ],
  dev: [
    { text: '{c}随借随还放款快', aspects: ['approval_speed'] },
    { text: '{c}给的额度比你们高', aspects: ['credit_limit'] },
  ],
};

/** The customer has moved or will move money or business to the competitor. */
export const SWITCH_FRAMES: Bank<string> = {
  train: [
    '我已经把钱转到{c}了',
    '我打算把定期转到{c}去',
    '我在{c}开了户 以后工资都发那边',
    '下个月我就把存款挪到{c}',
    '我准备换{c}的信用卡了',
    '我把钱都转到{c}了',
    '我准备把房贷转到{c}',
  ],
  dev: ['钱我都存{c}去了', '以后我就用{c}了', '我刚在{c}办好了贷款'],
};

/** The competitor is named only as worse, or just named: no switching, no complaint. */
export const WORSE_FRAMES: Bank<{ text: string; aspects: Aspect[] }> = {
  train: [
    { text: '{c}的服务比你们差远了', aspects: ['service'] },
    { text: '我在{c}办过 他们的APP更难用', aspects: ['app_experience'] },
    { text: '{c}那边手续费更贵 还是你们好', aspects: ['fee'] },
    { text: '我工资卡是{c}的', aspects: [] },
    { text: '我之前用过{c} 觉得不如你们', aspects: [] },
  ],
  dev: [
    { text: '{c}的利率还没你们高', aspects: ['rate'] },
    { text: '跟{c}比你们审批算快的', aspects: ['approval_speed'] },
    { text: '我另外还有一张{c}的卡', aspects: [] },
  ],
};

/** Agent speech naming banks: creates nothing. */
export const AGENT_BANK_LINES: Bank<string> = {
  train: [
    '{c}的活动我们这边查不到',
    '我们的利率和{c}差不多',
    '您说的{c}的产品我们不太了解',
    '跨行转到{c}是免费的',
  ],
  dev: ['{c}那边的规定和我们不一样', '您可以对比一下{c}'],
};
