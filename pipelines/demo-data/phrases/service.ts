/**
 * The bulk of real traffic: plain service requests about products the customer already has
 * (taxonomy.md: not needs), with the agent's answer, plus greetings, closings and small talk.
 */

export interface ServiceExchange {
  customer: readonly string[];
  agent: readonly string[];
}

export const SERVICE_REQUESTS: readonly ServiceExchange[] = [
  {
    customer: ['我想查一下卡里的余额', '帮我查下余额还有多少'],
    agent: ['您的账户可用余额是{amt}元', '好的,查到了,您卡内余额{amt}元'],
  },
  {
    customer: ['我想改一下密码', '我的取款密码忘了,怎么重置'],
    agent: ['密码可以在手机银行安全中心重置,也可以带身份证到网点办理'],
  },
  {
    customer: ['我的房贷扣款日是哪天', '这个月房贷扣了没有'],
    agent: ['您的房贷每月{day}号扣款,请在前一天存足金额'],
  },
  {
    customer: ['信用卡账单日是几号', '这个月账单多少钱', '最后还款日是哪天'],
    agent: ['您的账单日是每月{day}号,本期应还{amt}元'],
  },
  {
    customer: ['我卡丢了,要挂失', '帮我把卡挂失一下'],
    agent: ['好的,已经为您办理临时挂失,请尽快到网点补卡'],
  },
  {
    customer: ['我想改一下预留手机号', '换手机号了,银行这边怎么改'],
    agent: ['预留手机号需要您本人带身份证到网点修改'],
  },
  { customer: ['我的积分有多少', '积分怎么兑换'], agent: ['您目前有{amt}积分,可以在积分商城兑换礼品'] },
  { customer: ['怎么开通短信提醒', '转账记录在哪里查'], agent: ['您可以在手机银行我的账户里面查看和设置'] },
  {
    customer: ['我的卡快到期了,新卡什么时候寄', '信用卡怎么激活'],
    agent: ['新卡会在到期前一个月寄出,收到后在APP上激活就可以'],
  },
  {
    customer: ['网点周末营业吗', '最近的网点在哪里'],
    agent: ['大部分网点周六正常营业,具体可以在APP网点查询里看'],
  },
  {
    customer: ['帮我开一下流水证明', '我要打印半年的流水'],
    agent: ['流水可以在手机银行申请电子版,也可以到网点打印'],
  },
  {
    customer: ['我的定期什么时候到期', '到期的钱到账了没有'],
    agent: ['您的定期将在{day}号到期,到期后自动转入活期'],
  },
  { customer: ['这个月还款了吗,帮我确认一下', '我还款还成功了吗'], agent: ['您本期的还款已经成功入账了'] },
];

export const CALL_GREETINGS: readonly string[] = [
  '您好,很高兴为您服务,请问有什么可以帮您',
  '您好,{line},工号{num}为您服务',
  '您好,这里是{line},请问有什么可以帮您',
];

export const CHAT_GREETINGS: readonly string[] = [
  '您好,在线客服{num}号为您服务,请问有什么可以帮您',
  '您好,欢迎咨询{line},请问有什么可以帮到您',
  '您好,很高兴为您服务',
];

export const IVR_LINES: readonly string[] = [
  '您好,欢迎致电客户服务热线,本次通话可能会被录音',
  '正在为您转接人工服务,请稍候',
];

export const BOT_LINES: readonly string[] = ['您好,我是智能客服,正在为您转接人工客服,请稍候'];

export const CHAT_OPENERS: readonly string[] = ['在吗', '你好', '您好,请问一下'];

export const CLOSINGS: Readonly<Record<'call' | 'chat', readonly string[]>> = {
  call: ['感谢您的来电,祝您生活愉快,再见', '好的,稍后请对我的服务做出评价,再见', '感谢您的来电,再见'],
  chat: ['感谢您的咨询,祝您生活愉快', '感谢您的咨询,再见', '如还有疑问欢迎随时咨询'],
};

/** Small talk that pads a conversation to its length, each placed where it makes sense. */
export const PADDING = {
  /** Right after the customer first says why they call. */
  verify: { agent: ['请问您是本人吗', '请问是机主本人吗'], customer: ['是的,是我本人', '对,我本人', '是我'] },
  /** After a customer request, before the agent answers. */
  hold: { agent: ['请稍等,我帮您查询一下', '好的,您稍等,我看一下'], customer: ['好的', '嗯,好', '行'] },
  /** Just before the closing. */
  anythingElse: {
    agent: ['请问还有其他可以帮您的吗', '还有别的问题吗'],
    customer: ['没有了,谢谢', '没了', '没有了'],
  },
} as const satisfies Record<string, ServiceExchange>;

/** One-line padding: a customer acknowledging what the agent said. */
export const CUSTOMER_ACKS: readonly string[] = ['嗯', '嗯嗯', '哦', '对', '好'];

export const PII_PROMPTS: Readonly<Record<'phone' | 'card' | 'id', { agent: string; customer: string }>> = {
  phone: { agent: '请问您的联系电话是多少', customer: '我的手机号是{pii}' },
  card: { agent: '请提供一下您的卡号', customer: '卡号是{pii}' },
  id: { agent: '为了核实身份,请提供您的身份证号码', customer: '身份证号{pii}' },
};

export const LINES: Readonly<Record<'card' | 'retail', string>> = {
  card: '信用卡中心',
  retail: '个人金融服务中心',
};
