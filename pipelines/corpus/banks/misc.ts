import type { ComplaintCategory } from '../../../src/domain/labels.js';
import type { Bank } from '../types.js';

/** Neutral agent speech: scripts, acknowledgements. Names products but creates nothing. */
export const AGENT_LINES: Bank<string> = {
  train: [
    '您好 很高兴为您服务',
    '请问有什么可以帮您',
    '好的 请您稍等',
    '我帮您查询一下',
    '明白您的意思',
    '感谢您的耐心等待',
    '我们最近大额存单利率上调了 您可以关注一下',
    '您的投诉我已经记录了 会尽快处理',
    '为了您的资金安全 请不要泄露验证码',
    '您的信用卡年费可以通过刷卡减免',
    '我们有一款理财产品收益不错',
    '如需办理贷款可以到网点咨询',
    '很抱歉给您带来不便',
  ],
  dev: [
    '您好 安泰银行客服中心',
    '这边帮您登记一下',
    '请问还有其他可以帮您的吗',
    '关于您说的盗刷问题 我们会核实',
    '目前我行有个人养老金开户活动',
    '给您造成困扰非常抱歉',
    '您也可以在手机银行上自助办理',
  ],
};

/** Neutral customer speech. */
export const NEUTRAL_CUSTOMER: Bank<string> = {
  train: ['好的谢谢', '嗯嗯 知道了', '那我再看看', '行 没别的事了', '我想问一下', '稍等我找一下卡'],
  dev: ['好的明白了', '那就先这样吧', '可以的'],
};

/** The home institution by name: never a competitor; may still be the target of a complaint. */
export const HOME_LINES: Bank<{ text: string; categories: ComplaintCategory[] }> = {
  train: [
    { text: '安泰银行的服务一直挺好的', categories: [] },
    { text: '我在安泰存了十年钱了', categories: [] },
    { text: '安泰的APP我一直在用', categories: [] },
    { text: '安泰的年费太贵了', categories: ['fees'] },
    { text: '安泰银行的客服电话老是打不通', categories: ['wait_time'] },
  ],
  dev: [
    { text: '我就认安泰银行 别的不去', categories: [] },
    { text: '安泰的网点离我家近', categories: [] },
    { text: '安泰银行乱收手续费', categories: ['fees'] },
  ],
};
