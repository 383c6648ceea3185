import * as OpenCC from 'opencc-js';
import { emptyAnalysis, type Analysis } from '../../src/domain/analysis.js';
import type { Conversation } from '../../src/domain/conversation.js';
import type {
  Aspect,
  ComplaintCategory,
  CompetitorId,
  Escalation,
  LifeEvent,
  Need,
} from '../../src/domain/labels.js';

/**
 * The baseline every number is read against: a naive keyword tracker built from the words of
 * ../shared/taxonomy.md alone (its "typical signals", names and aliases), as a bank would set one up
 * in a day with a commercial speech-analytics tool. Customer utterances only, Traditional converted.
 * It is deliberately not tuned on any data.
 */
const CATEGORY_WORDS: Record<ComplaintCategory, string[]> = {
  fees: ['年费', '手续费', '乱扣费', '管理费', '收费不合理'],
  interest_rate: ['利息太高', '罚息', '利率比说的高'],
  service_attitude: ['态度差', '不耐烦', '推诿', '挂电话'],
  wait_time: ['排队', '打不通', '转人工', '等了很久'],
  system_failure: ['闪退', '登不上', '转账失败', '系统维护', '验证码收不到'],
  account_restriction: ['冻结', '锁卡', '限额', '止付', '不能用'],
  fraud_dispute: ['盗刷', '被骗', '不是我刷的', '争议交易'],
  debt_collection: ['催收电话', '骚扰家人', '威胁'],
  mis_selling: ['理财亏损', '没说有风险', '强制搭售', '捆绑保险'],
  process_complexity: ['材料太多', '跑了好几趟', '流程复杂'],
  marketing_harassment: ['推销电话太多', '短信轰炸', '不要再打了'],
  other: ['投诉', '不满'],
};
const ESCALATION_WORDS: Record<Escalation, string[]> = {
  regulator: ['银保监会', '金融监管总局', '12378', '人民银行', '消保'],
  media: ['曝光', '媒体', '微博', '抖音'],
  legal: ['律师', '起诉', '法院'],
  account_closure: ['销户', '把钱转走', '不用你们了'],
};
const COMPETITOR_WORDS: Record<CompetitorId, string[]> = {
  icbc: ['工商银行', '工行'],
  ccb: ['建设银行', '建行'],
  abc: ['农业银行', '农行'],
  boc: ['中国银行', '中行'],
  bocom: ['交通银行', '交行'],
  psbc: ['邮储银行', '邮政储蓄'],
  cmb: ['招商银行', '招行', '掌上生活'],
  citic: ['中信银行'],
  spdb: ['浦发银行'],
  cib: ['兴业银行'],
  cmbc: ['民生银行'],
  ceb: ['光大银行'],
  hxb: ['华夏银行'],
  cgb: ['广发银行'],
  pingan: ['平安银行', '平安普惠', '陆金所'],
  bob: ['北京银行'],
  bosc: ['上海银行'],
  webank: ['微众银行', '微粒贷'],
  mybank: ['网商银行', '网商贷'],
  alipay: ['支付宝', '蚂蚁', '余额宝', '花呗', '借呗'],
  wechat_pay: ['微信支付', '财付通', '零钱通', '理财通'],
  jd_finance: ['京东金融', '京东白条', '金条'],
  meituan: ['美团月付', '美团借钱'],
  duxiaoman: ['度小满', '有钱花'],
  hsbc: ['汇丰'],
  citi: ['花旗'],
  standard_chartered: ['渣打'],
  other_bank: ['农商行', '城商行'],
};
const ASPECT_WORDS: Record<Aspect, string[]> = {
  rate: ['利率', '收益', '利息'],
  fee: ['手续费', '年费', '费用'],
  credit_limit: ['额度'],
  service: ['服务'],
  app_experience: ['app', 'APP', '手机银行'],
  promotion: ['优惠', '返现', '积分', '礼品'],
  approval_speed: ['审批', '放款'],
  other: [],
};
const SWITCHING_WORDS = ['转到', '转去', '存到', '换到'];
const NEED_WORDS: Record<Need, string[]> = {
  credit_card_new: ['办信用卡', '办卡'],
  credit_limit_increase: ['提额', '临时额度'],
  installment: ['分期', '账单分期'],
  personal_loan: ['消费贷', '信用贷'],
  mortgage: ['房贷', '转贷'],
  car_loan: ['车贷'],
  business_loan: ['经营贷'],
  wealth_management: ['理财', '基金'],
  deposit: ['定期', '大额存单'],
  insurance: ['保险'],
  fx_overseas: ['换汇', '境外汇款', '出国用卡'],
  pension: ['个人养老金', '养老规划'],
  precious_metals: ['黄金', '贵金属'],
};
const DECLINE_WORDS = ['不需要', '不用', '不要', '不办'];
const LIFE_WORDS: Record<LifeEvent, string[]> = {
  job_change: ['换工作', '新工作', '跳槽'],
  marriage: ['结婚'],
  new_child: ['生孩子', '宝宝'],
  home_purchase: ['买房', '装修'],
  car_purchase: ['买车'],
  study_abroad: ['出国读书', '留学'],
  retirement: ['退休'],
  business_start: ['开公司', '做生意'],
};
const NEGATIVE_WORDS = ['不满', '生气', '太差', '垃圾', '投诉', '气死'];
const POSITIVE_WORDS = ['谢谢', '满意', '不错', '好评'];

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const hits = <K extends string>(text: string, table: Record<K, string[]>): K[] =>
  (Object.keys(table) as K[]).filter((k) => table[k].some((w) => text.includes(w)));

export function keywordTracker(conversation: Conversation): Analysis {
  const a = emptyAnalysis(conversation.id);
  const competitors = new Map<CompetitorId, { aspects: Set<Aspect>; switching: boolean }>();
  const categories = new Set<ComplaintCategory>();
  const escalation = new Set<Escalation>();
  const needs = new Set<Need>();
  const declined = new Set<Need>();
  const life = new Set<LifeEvent>();
  let tone = 0;
  for (const u of conversation.utterances) {
    if (u.speaker !== 'customer') continue;
    const text = toSimplified(u.text);
    for (const c of hits(text, CATEGORY_WORDS)) categories.add(c);
    for (const e of hits(text, ESCALATION_WORDS)) escalation.add(e);
    const named = hits(text, COMPETITOR_WORDS);
    const aspects = hits(text, ASPECT_WORDS);
    const switching = SWITCHING_WORDS.some((w) => text.includes(w));
    for (const id of named) {
      const c = competitors.get(id) ?? { aspects: new Set<Aspect>(), switching: false };
      for (const asp of aspects) c.aspects.add(asp);
      c.switching ||= switching;
      competitors.set(id, c);
    }
    const declines = DECLINE_WORDS.some((w) => text.includes(w));
    for (const n of hits(text, NEED_WORDS)) (declines ? declined : needs).add(n);
    for (const l of hits(text, LIFE_WORDS)) life.add(l);
    tone += NEGATIVE_WORDS.filter((w) => text.includes(w)).length * -1;
    tone += POSITIVE_WORDS.filter((w) => text.includes(w)).length;
  }
  const specific = [...categories].filter((c) => c !== 'other');
  const is = categories.size > 0;
  return {
    ...a,
    complaint: {
      is,
      categories: specific.length > 0 ? specific : is ? ['other'] : [],
      escalation: is ? [...escalation] : [],
    },
    competitors: [...competitors].map(([id, c]) => ({
      id,
      aspects: [...c.aspects].sort(),
      switchingIntent: c.switching,
    })),
    needs: [...needs].filter((n) => !declined.has(n)),
    declinedNeeds: [...declined],
    lifeEvents: [...life],
    sentiment: { customer: is ? -0.5 : Math.max(-1, Math.min(1, tone / 2)) },
  };
}
