import type { LifeEvent, Need } from '../../../src/domain/labels.js';
import type { Bank } from '../types.js';

export interface LifeUnit {
  text: string;
  needs?: Need[];
}

/** Customer speech revealing a life event, sometimes with the need it brings. */
export const LIFE_EVENTS: Record<LifeEvent, Bank<LifeUnit>> = {
  job_change: {
    train: [
      { text: '我刚换了工作 工资卡要换成你们的' },
      { text: '我跳槽到新公司了' },
      { text: '最近换工作了收入稳定了 想申请提额', needs: ['credit_limit_increase'] },
      { text: '新单位的工资卡是你们行的' },
      { text: '我下个月入职新公司' },
    ],
    dev: [{ text: '我换了份新工作 公积金账户要变更' }, { text: '刚从老单位离职 去了一家新公司' }],
  },
  marriage: {
    train: [
      { text: '我下个月结婚' },
      { text: '我们准备办婚礼 想分期付一下', needs: ['installment'] },
      { text: '刚领了结婚证' },
      { text: '女儿明年要结婚了 想存笔钱', needs: ['deposit'] },
    ],
    dev: [{ text: '我们刚领证 想把两个人的钱规划一下' }, { text: '儿子年底办喜事 要用一笔钱' }],
  },
  new_child: {
    train: [
      { text: '我老婆刚生了孩子' },
      { text: '家里添了个宝宝 想给他买份保险', needs: ['insurance'] },
      { text: '我怀孕了 预产期在下个月' },
      { text: '二胎刚出生 开销大了' },
    ],
    dev: [
      { text: '孩子刚满月 想给她存个定期攒学费', needs: ['deposit'] },
      { text: '我们家宝宝上个月出生了' },
    ],
  },
  home_purchase: {
    train: [
      { text: '我准备买房 想问问房贷', needs: ['mortgage'] },
      { text: '刚买了套房子 在装修' },
      { text: '我们在看房 首付还差一点' },
      { text: '新房要装修 想办个装修贷', needs: ['personal_loan'] },
      { text: '我打算明年买房' },
    ],
    dev: [
      { text: '刚交了首付 下个月交房' },
      { text: '家里在装修 钱有点紧' },
      { text: '我们想换套大点的房子 房贷怎么算', needs: ['mortgage'] },
    ],
  },
  car_purchase: {
    train: [
      { text: '我想买辆车 车贷怎么办', needs: ['car_loan'] },
      { text: '刚提了新车' },
      { text: '准备换车 想用信用卡分期', needs: ['installment'] },
      { text: '我打算买车' },
    ],
    dev: [{ text: '下周去4S店提车' }, { text: '看中了一辆新能源车 想贷款买', needs: ['car_loan'] }],
  },
  study_abroad: {
    train: [
      { text: '孩子明年去英国读书 想换点英镑', needs: ['fx_overseas'] },
      { text: '我女儿在美国留学 要给她汇学费', needs: ['fx_overseas'] },
      { text: '儿子准备出国留学' },
      { text: '我自己要去澳洲读研' },
    ],
    dev: [
      { text: '孩子拿到了加拿大的录取通知书 九月份出国读书' },
      { text: '明年送女儿去日本念大学 学费要换日元', needs: ['fx_overseas'] },
    ],
  },
  retirement: {
    train: [
      { text: '我刚退休 想存个定期', needs: ['deposit'] },
      { text: '我明年就退休了 想了解个人养老金', needs: ['pension'] },
      { text: '退休了手上有点闲钱' },
      { text: '我快退休了' },
    ],
    dev: [
      { text: '我上个月办了退休手续' },
      { text: '退休以后想做点稳健的理财', needs: ['wealth_management'] },
    ],
  },
  business_start: {
    train: [
      { text: '我自己开了个公司 想办对公账户' },
      { text: '我准备开个店 想贷点款', needs: ['business_loan'] },
      { text: '最近在创业' },
      { text: '我和朋友合伙做生意' },
    ],
    dev: [{ text: '我刚注册了一家公司' }, { text: '打算开家奶茶店 需要经营贷', needs: ['business_loan'] }],
  },
};

/** Life-event words that do not make a life event (negated, hypothetical, someone else's past). */
export const NON_LIFE_EVENTS: Bank<string> = {
  train: [
    '我还没结婚',
    '暂时没打算买房',
    '我没有换工作 还是原来的单位',
    '如果以后买房的话再说',
    '我还没退休',
  ],
  dev: ['买房的事还没影呢', '假如换工作工资卡怎么办'],
};
