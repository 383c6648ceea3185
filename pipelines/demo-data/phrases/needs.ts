/** Needs customers express, needs they decline, and products agents pitch from a script. */
import type { Need } from '../../../src/domain/labels.js';

export const NEED_PHRASES: Readonly<Record<Need, readonly string[]>> = {
  credit_card_new: ['我想再办一张信用卡', '你们有没有那种出行用的信用卡,我想申请一张', '白金卡怎么申请啊'],
  credit_limit_increase: ['我想提一下信用卡额度', '能不能给我开个临时额度', '下个月要出去玩,能不能提额'],
  installment: ['这期账单我想分期', '账单分期的手续费怎么算,我想分十二期', '我这笔消费能不能办个分期'],
  personal_loan: ['你们有没有消费贷', '我想申请个信用贷,大概十万左右', '急用钱,你们能借多少'],
  mortgage: [
    '我想了解一下房贷',
    '我想把房贷转到你们这边来',
    '房贷利率能不能给我降一点',
    '如果利率低的话我可能会考虑在你们这办房贷',
  ],
  car_loan: ['买车能在你们这办车贷吗', '车贷现在利率多少,我想贷个十来万'],
  business_loan: ['我开了个小店,想申请经营贷', '你们的经营贷额度最高多少'],
  wealth_management: ['现在有什么理财产品推荐', '我想买点基金', '有没有稳健一点的理财,我手上有点闲钱'],
  deposit: ['大额存单现在利率多少', '我想存个三年定期', '定期现在什么利率,我有二十万想存'],
  insurance: ['我想给孩子买份保险', '你们有重疾险吗,我想了解一下', '有没有适合老人的医疗险'],
  fx_overseas: ['我想换点美元', '给国外汇款怎么操作', '出国用卡要开通什么功能'],
  pension: ['个人养老金账户怎么开', '我想了解一下养老规划'],
  precious_metals: ['你们有没有卖金条', '积存金怎么买', '我想买点黄金'],
};

/** A customer turning a product down, named explicitly: a declined need, not a need. */
export const DECLINED_PHRASES: Readonly<Record<Need, readonly string[]>> = {
  credit_card_new: ['信用卡我已经够多了,不办了', '不用了,我不需要再办信用卡'],
  credit_limit_increase: ['额度够用了,不用提', '不需要提额,谢谢'],
  installment: ['分期就算了,我全额还', '我不分期,利息太贵'],
  personal_loan: ['我不需要贷款', '贷款就不用了,我不缺钱'],
  mortgage: ['房贷我不需要', '我没有买房的打算,房贷不用了'],
  car_loan: ['车贷不需要,我全款买', '我不打算贷款买车'],
  business_loan: ['经营贷我用不上', '我不做生意,不需要经营贷'],
  wealth_management: ['理财我不考虑,风险太大', '不买理财了,谢谢'],
  deposit: ['定期就不存了,钱要随时用', '大额存单我不需要'],
  insurance: ['保险我不买', '不要给我推保险了,我不需要'],
  fx_overseas: ['我不出国,不需要换汇', '换外币就不用了'],
  pension: ['养老金账户我暂时不开', '个人养老金我不考虑'],
  precious_metals: ['黄金我不感兴趣', '我不买黄金'],
};

/** What an agent reads out when offering the product (names it; creates no label). */
export const AGENT_OFFERS: Readonly<Record<Need, readonly string[]>> = {
  credit_card_new: ['我们新推出了一款白金信用卡,首年免年费,您需要办理吗'],
  credit_limit_increase: ['系统显示您可以申请提升信用卡额度,需要帮您申请吗'],
  installment: ['您本期账单可以办理分期,手续费现在打八折,需要了解一下吗'],
  personal_loan: ['我们有一款消费贷产品,最高可以借三十万,您有需要吗'],
  mortgage: ['我们现在房贷利率有优惠,您有需要可以了解一下'],
  car_loan: ['我们和多家车企有车贷合作,利率很优惠,您需要吗'],
  business_loan: ['我们有专门给个体户的经营贷,审批很快,您有兴趣吗'],
  wealth_management: ['我们有一款稳健型理财产品,业绩比较基准百分之二点八,您考虑一下吗'],
  deposit: ['我们三年期大额存单目前还有额度,您需要预约吗'],
  insurance: ['我们代理的一款医疗险保障很全,您需要了解一下吗'],
  fx_overseas: ['现在办理购汇有汇率优惠,您有需要吗'],
  pension: ['您可以在我们这开通个人养老金账户,还能抵扣个税,需要帮您开通吗'],
  precious_metals: ['我们的积存金一克起购,您有兴趣了解一下吗'],
};

/** Scripted pitches at the end of a call; the customer acknowledges without interest. */
export const AGENT_SCRIPTS: readonly string[] = [
  '温馨提示,我行目前推出大额存单,三年期利率较高,您可以通过手机银行购买',
  '另外提醒您,您的信用卡可以申请账单分期,手续费享受八折优惠',
  '我们近期有一款消费贷产品,最高可借三十万,有需要可以随时联系我们',
  '您也可以关注一下我们的个人养老金账户,每年缴存可以抵扣个税',
  '我行的积存金和理财产品都可以在手机银行上购买,有兴趣可以看一下',
  '顺便跟您说一下,我们有一款重疾险,保障非常全面',
];

export const NEUTRAL_ACKS: readonly string[] = ['嗯,知道了', '好的', '行,好', '哦,好的', '嗯嗯'];
