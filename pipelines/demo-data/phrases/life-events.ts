/** Life events customers mention, and the need each one most often comes with. */
import type { LifeEvent, Need } from '../../../src/domain/labels.js';

export const LIFE_EVENT_PHRASES: Readonly<Record<LifeEvent, readonly string[]>> = {
  job_change: ['我最近换工作了,新公司的工资卡是别的银行', '我刚跳槽到一家新公司', '新单位下个月开始发工资'],
  marriage: ['我下个月结婚', '我们刚结婚,想把两个人的钱放一起打理', '今年准备办婚礼'],
  new_child: ['我老婆刚生了孩子', '家里刚添了个宝宝', '我预产期就在下个月'],
  home_purchase: ['我刚买了房子', '我们在看房子,准备买套两居室', '新房子在装修,要花不少钱'],
  car_purchase: ['最近想买辆车', '我刚提了新车', '准备换辆新能源车'],
  study_abroad: ['孩子明年要去英国读书', '我准备出国留学了', '女儿九月份去澳洲上学'],
  retirement: ['我下个月就退休了', '我刚退休,手上有点钱'],
  business_start: ['我自己开了个公司', '最近在做点小生意', '我和朋友合伙开了家餐馆'],
};

/** The need a life event usually leads to (used when a conversation has both). */
export const RELATED_NEEDS: Readonly<Record<LifeEvent, readonly Need[]>> = {
  job_change: ['credit_card_new', 'wealth_management'],
  marriage: ['wealth_management', 'insurance', 'credit_card_new'],
  new_child: ['insurance', 'wealth_management'],
  home_purchase: ['mortgage', 'personal_loan', 'installment'],
  car_purchase: ['car_loan', 'installment'],
  study_abroad: ['fx_overseas', 'credit_card_new'],
  retirement: ['pension', 'deposit', 'wealth_management'],
  business_start: ['business_loan', 'personal_loan'],
};
