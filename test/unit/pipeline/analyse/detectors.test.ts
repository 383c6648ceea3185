import assert from 'node:assert/strict';
import type { Analysis } from '../../../../src/domain/analysis.js';
import type { Utterance } from '../../../../src/domain/conversation.js';
import { createPipeline } from '../../../../src/pipeline/run-pipeline.js';

const pipeline = createPipeline({ homeInstitution: { id: 'home', names: ['安泰银行', '安泰'] } });

/** Turns prefixed "A:" are the agent's, the others the customer's. */
function analyse(...turns: string[]): Analysis {
  const utterances: Utterance[] = turns.map((t) =>
    t.startsWith('A:') ? { speaker: 'agent', text: t.slice(2) } : { speaker: 'customer', text: t },
  );
  return pipeline.process({ id: 't', channel: 'call', startedAt: '2026-11-01T10:00:00+08:00', utterances })
    .analysis;
}

describe('analysis: complaints', () => {
  it('finds categories and escalation in customer speech', () => {
    const a = analyse('你们的年费太贵了 凭什么乱扣费', '再不处理我就去银保监会投诉');
    assert.equal(a.complaint.is, true);
    assert.deepEqual(a.complaint.categories, ['fees']);
    assert.deepEqual(a.complaint.escalation, ['regulator']);
  });

  it('reads a call made to praise a fix as no complaint, unless a complaint follows the praise', () => {
    const praise = analyse(
      '你好 我就是上周投诉那个 信用卡被多收了分期手续费的',
      'A:请问退款收到了吗',
      '收到了 钱退回来了 还给我打了电话解释 态度挺好的 处理得不错',
    );
    assert.equal(praise.complaint.is, false);
    assert.equal(analyse('客服态度挺好，就是流程太慢 等了半天').complaint.is, true);
    assert.equal(analyse('表扬一下小王', '但是你们的年费太贵了 乱扣费').complaint.is, true);
    // a call made to praise covers the story it tells, up to a turn to something else
    assert.equal(
      analyse('我想表扬一下你们网点的理财经理 去年我想买偏股的基金 她说我这个年纪风险承受不了 硬是劝住了')
        .complaint.is,
      false,
    );
    assert.equal(analyse('我想表扬一下小王 但是你们的年费太贵了 乱扣费').complaint.is, true);
    // ironic thanks are no praise
    assert.equal(analyse('每次都是这样 我真是谢谢你们了 到现在还没处理').complaint.is, true);
  });

  it('is negation-aware: 我不是要投诉 and 年费不贵 are no complaints', () => {
    assert.equal(analyse('我不是要投诉 就是问一下年费怎么收').complaint.is, false);
    assert.equal(analyse('年费其实也不算贵').complaint.is, false);
    assert.equal(analyse('没有乱扣费 是我自己记错了').complaint.is, false);
  });

  it('does not count hypotheticals and questions', () => {
    assert.equal(analyse('万一卡被盗刷了怎么办').complaint.is, false);
    assert.equal(analyse('想办个信用贷款 手续麻烦吗').complaint.is, false);
  });

  it('ignores agent speech entirely', () => {
    const a = analyse('A:您的投诉我已经记录了 关于盗刷和年费的问题会尽快处理', '好的谢谢');
    assert.equal(a.complaint.is, false);
    assert.deepEqual(a.evidence, []);
  });

  it('uses other when the dissatisfaction names no category', () => {
    const a = analyse('我对你们非常不满意');
    assert.deepEqual(a.complaint.categories, ['other']);
  });

  it('hears a problem reported calmly to an agent as service, the same problem told with displeasure or posted as a complaint', () => {
    const calm = analyse(
      'A:您好请讲',
      '我手机银行登不进去了 要怎么弄',
      'A:您重置一下密码就可以',
      '好的 弄好了 谢谢',
    );
    assert.equal(calm.complaint.is, false);
    const upset = analyse('A:您好请讲', '手机银行又登不进去了 烦死了');
    assert.equal(upset.complaint.is, true);
    assert.ok(upset.complaint.categories.includes('system_failure'));
    assert.equal(analyse('安泰的手机银行登不进去 三天了').complaint.is, true);
    // a fraud reported calmly is a service case; blamed on the bank, a complaint
    assert.equal(analyse('A:您好', '我刚收到短信 有一笔四千多不是我刷的 卡在我手上').complaint.is, false);
    assert.equal(analyse('A:您好', '卡被盗刷了你们都不拦一下 太离谱了').complaint.is, true);
    // a fee or rate judged (太贵) is a complaint however calmly said; a state only described is not
    assert.equal(analyse('A:您好请讲', '你们的信用卡年费太贵了').complaint.is, true);
    assert.equal(
      analyse('A:您需要本人带身份证到网点办理', '还要本人去网点啊 好吧 那我周末去').complaint.is,
      false,
    );
  });

  it('does not count a problem only feared, wondered about or wrongly believed', () => {
    assert.equal(analyse('A:您好', '我想把境外交易关了 怕被盗刷').complaint.is, false);
    assert.equal(analyse('A:您好', '我还以为被多扣了钱 原来是退款').complaint.is, false);
    assert.equal(analyse('A:您好', '逾期一天会不会影响征信啊').complaint.is, false);
    assert.equal(analyse('A:您好', '开户必须去网点吗').complaint.is, false);
  });

  it('knows rivals by the English names, app words and ASR spellings customers use, and 美团 as an employer', () => {
    const ids = (text: string) => analyse(text).competitors.map((c) => c.id);
    assert.deepEqual(ids('钱从CMB的闪电贷借出来了'), ['cmb']);
    assert.deepEqual(ids('我有张Citi的卡 境外刷不收货币转换费'), ['citi']);
    assert.deepEqual(ids('现在微信还信用卡要收手续费了'), ['wechat_pay']);
    assert.deepEqual(ids('中性银行那边三年的给到二点五'), ['citic']);
    assert.deepEqual(ids('我在美团跑单的 站点让我们绑卡'), []);
    assert.deepEqual(ids('求问各位，ZS和JH哪个好下卡'), ['cmb', 'ccb']);
    assert.deepEqual(ids('我的apple pay绑不上'), []);
  });

  it("reads a rival's rate said only as a number, in its clause or pointed back at (人家), not a time", () => {
    assert.deepEqual(analyse('宁波银行给我报的三点五五').competitors[0]?.aspects, ['rate']);
    assert.deepEqual(analyse('中信银行那边我约好了，三年的人家给到二点五').competitors[0]?.aspects, ['rate']);
    assert.deepEqual(analyse('招行app三点前还没到账').competitors[0]?.aspects, ['app_experience']);
  });

  it("gives a rival's bare amount the aspect the conversation is about: a fee, a limit, not a rate or a count", () => {
    const aspects = (...turns: string[]): string[] | undefined => analyse(...turns).competitors[0]?.aspects;
    assert.deepEqual(aspects('A:您这张卡年费是六百', '我华夏那张卡一年才一百'), ['fee']);
    assert.deepEqual(aspects('我想申请临时额度', '五万够了 花呗那边也就八千'), ['credit_limit']);
    assert.deepEqual(aspects('显示暂无提额机会', '我朋友刚办的花旗 第一张卡就给了五万'), ['credit_limit']);
    // an amount during rate talk is a loan, not a rate; a count is no amount
    assert.deepEqual(aspects('我想问下房贷利率', '我在招行贷了一百万'), []);
    assert.deepEqual(aspects('A:您这张卡年费是六百', '我在华夏有3张卡'), []);
  });

  it('hears dissatisfaction said about a rival as an aspect of that rival, not a complaint about us', () => {
    const collectors = analyse('以前在平安普惠借过一笔钱 现在他们那个催收天天打我单位电话 还打给我领导');
    assert.equal(collectors.complaint.is, false);
    assert.deepEqual(collectors.competitors[0]?.aspects, ['service']);
    assert.deepEqual(analyse('汇丰我转多少都没收过钱').competitors[0]?.aspects, ['fee']);
  });

  it('knows names customers type: pinyin initials, English names, app names, regional short names', () => {
    const ids = (text: string): string[] => analyse(text).competitors.map((c) => c.id);
    assert.deepEqual(ids('就zfb不行 试了五六次了'), ['alipay']);
    assert.deepEqual(ids('我在Standard Chartered那边有账户'), ['standard_chartered']);
    assert.deepEqual(ids('好兴动周五还能领10块话费呢'), ['cib']);
    assert.deepEqual(ids('宁银那边第二天就放款了'), ['other_bank']);
    assert.deepEqual(ids('我已经在建航那个快贷上借了'), ['ccb']);
  });

  it('hears salary moving to a rival as switching, and a move only once meant as none', () => {
    assert.equal(analyse('换了工作 新公司发工资走的是建行').competitors[0]?.switchingIntent, true);
    for (const moved of [
      '我要转五十万到招行去',
      '那四十万我存民生了',
      '新房在农行贷的 已经批下来了',
      '那我还是去中行换吧',
    ])
      assert.equal(analyse(moved).competitors[0]?.switchingIntent, true, moved);
    assert.equal(
      analyse('本来想把钱挪到招行去的 看你们也差不多就算了').competitors[0]?.switchingIntent,
      false,
    );
  });

  it('reads 他们 right after the customer named a rival as that rival, not the home bank', () => {
    const a = analyse(
      '是平安普惠的 借了十万 年化二十几个点',
      '现在晚还了两天 他们的人天天打我电话 还打到我老婆那去 说话难听得很',
    );
    assert.equal(a.complaint.is, false);
    assert.equal(
      analyse('你们的催收天天打我电话', '他们的人还打到我老婆那去 说话难听得很').complaint.is,
      true,
    );
  });

  it('gives a complaint in a clause naming no bank to the bank named last before it', () => {
    assert.equal(analyse('华夏那张卡我上个月刚销了，年费五百多，刷多少都不免，太坑了').complaint.is, false);
    assert.equal(analyse('招行的年费是免的，你们这个年费太贵了').complaint.is, true);
  });

  it('a competitor named only as worse is no complaint about the home bank', () => {
    const a = analyse('招行的服务比你们差远了');
    assert.equal(a.complaint.is, false);
    assert.deepEqual(a.competitors, [{ id: 'cmb', aspects: ['service'], switchingIntent: false }]);
  });
});

describe('analysis: competitors', () => {
  it('maps names, abbreviations, products and ASR homophones to one id', () => {
    assert.deepEqual(
      analyse('招航的利率比你们高').competitors.map((c) => c.id),
      ['cmb'],
    );
    assert.deepEqual(analyse('我把钱都转到余额包了').competitors, [
      { id: 'alipay', aspects: [], switchingIntent: true },
    ]);
    assert.deepEqual(
      analyse('微粒贷借钱几分钟就到账').competitors.map((c) => c.id),
      ['webank'],
    );
  });

  it('finds other banks by name and leaves the home bank and 你们/贵行 alone', () => {
    assert.deepEqual(analyse('我在宁波银行存的定期利率更高').competitors, [
      { id: 'other_bank', aspects: ['rate'], switchingIntent: false },
    ]);
    assert.deepEqual(analyse('安泰银行的服务一直挺好的 贵行的APP也好用').competitors, []);
    assert.deepEqual(analyse('我要去人民银行反映').competitors, []);
  });

  it('leaves ordinary words that contain a name alone', () => {
    assert.deepEqual(analyse('施工行业最近不景气').competitors, []);
    assert.deepEqual(analyse('祝你一路平安').competitors, []);
  });

  it('reads streets, estates and buildings named like a bank as places', () => {
    for (const text of [
      '我住在民生路',
      '华夏花园小区门口那个网点',
      '中信广场那边',
      '在平安保险买的车险',
      '我去邮政寄个快递',
      '就在光大的小区门口',
      '原来住在光大的那个小区',
      '商城里那个花旗参礼盒我想换一个',
      '平安夜那天你们有活动吗',
      '平安的车险理赔员说已经转了',
      '这是一家正规银行该做的事吗',
      '这就是你们说的智慧银行',
    ])
      assert.deepEqual(analyse(text).competitors, [], text);
    assert.deepEqual(
      analyse('民生给了三万 秒批').competitors.map((c) => c.id),
      ['cmbc'],
    );
  });

  it('reads 银行 after a verb or pronoun as "the bank", not another bank', () => {
    for (const text of ['要求银行退还多付的利息', '希望银行管管这种员工', '比某些银行强多了'])
      assert.deepEqual(analyse(text).competitors, [], text);
    assert.deepEqual(
      analyse('转到宁波银行了').competitors.map((c) => c.id),
      ['other_bank'],
    );
  });

  it('knows short names, nicknames and ASR spellings said alone', () => {
    const ids = (text: string) => analyse(text).competitors.map((c) => c.id);
    assert.deepEqual(ids('浙商提额了'), ['other_bank']);
    assert.deepEqual(ids('建航那边我问过了 三点几'), ['ccb']);
    assert.deepEqual(ids('邮政那边三年的一点九五'), ['psbc']);
    assert.deepEqual(ids('恒生張卡永久免年費'), ['other_bank']);
    assert.deepEqual(ids('白条逾期一天就上征信'), ['jd_finance']);
    assert.deepEqual(ids('我用微信转账秒到'), ['wechat_pay']);
    assert.deepEqual(ids('加我微信吧'), []);
  });

  it('tells switching intent from a mere mention, negation included', () => {
    assert.equal(analyse('我已经在建设银行办了房贷').competitors[0]?.switchingIntent, true);
    assert.equal(analyse('我工资卡是招行的').competitors[0]?.switchingIntent, false);
    assert.equal(analyse('我是不会把钱转到招行的 放心').competitors[0]?.switchingIntent, false);
  });

  it('hears switching stated as done, chosen or moving everything (made-up phrasings)', () => {
    const switching = (...turns: string[]) =>
      analyse(...turns)
        .competitors.filter((c) => c.switchingIntent)
        .map((c) => c.id);
    assert.deepEqual(switching('我已经在微众那边借了'), ['webank']);
    assert.deepEqual(switching('额度太低了 我还是用借呗吧'), ['alipay']);
    assert.deepEqual(switching('这个月的工资我都转到中信去'), ['citic']);
    assert.deepEqual(switching('利率降不下来我就去农行转贷'), ['abc']);
    // comparing is not moving
    assert.deepEqual(switching('农行的利率比你们低一点'), []);
    assert.deepEqual(switching('我在中信也有一张卡'), []);
  });
});

describe('analysis: needs', () => {
  it('separates needs, declined needs and pure service requests', () => {
    assert.deepEqual(analyse('大额存单现在利率多少').needs, ['deposit']);
    assert.deepEqual(analyse('我不需要贷款').declinedNeeds, ['personal_loan']);
    assert.deepEqual(analyse('A:您需要了解一下我行的大额存单吗', '回头再说吧').declinedNeeds, ['deposit']);
    const service = analyse('我的房贷扣款日是哪天');
    assert.deepEqual([service.needs, service.declinedNeeds], [[], []]);
  });

  it('applies a refusal said of "all these" to every product named before it, not to a wish', () => {
    const listed = analyse('一天好几条短信 什么养老保险 什么基金定投 还有什么经营贷 这些我都不感兴趣');
    assert.deepEqual(
      [listed.needs, [...listed.declinedNeeds].sort()],
      [[], ['business_loan', 'insurance', 'wealth_management']],
    );
    const except = analyse('我想存个定期 别的那些都不要');
    assert.deepEqual([except.needs, except.declinedNeeds], [['deposit'], []]);
    assert.deepEqual(analyse('你们的基金理财都别再给我推了').declinedNeeds, ['wealth_management']);
  });

  it('keeps hypothetical interest as a need', () => {
    assert.deepEqual(analyse('如果大额存单利率高一点我可能会考虑').needs, ['deposit']);
  });

  it('reads an answer to the agent offer', () => {
    assert.deepEqual(analyse('A:我们现在大额存单有优惠 您要不要了解一下', '可以啊 你介绍一下').needs, [
      'deposit',
    ]);
    assert.deepEqual(analyse('A:给您推荐一下我们的重疾险 您看需要吗', '不用了 谢谢').declinedNeeds, [
      'insurance',
    ]);
    assert.deepEqual(analyse('A:我们有一款理财产品收益不错', '你们的服务态度挺好的').needs, []);
  });

  it('reads a refusal that opens the reply to advice, then goes on to other things', () => {
    const reply = analyse('A:宝宝出生后建议配置一份少儿医疗险', '不用 我单位给家属有补充医疗 够了');
    assert.deepEqual([reply.needs, reply.declinedNeeds], [[], ['insurance']]);
    // a product named before the refusal is the detector's own: the offer is not refused with it
    assert.deepEqual(analyse('A:建议您配置一份少儿医疗险', '定期的话不用').declinedNeeds, ['deposit']);
  });

  it('reads a refusal after the agent answered what the customer asked about as declining it', () => {
    const asked = analyse('养老理财是保本的吗', 'A:理财产品都不保本的 不过波动比较小', '那我就不弄了');
    assert.deepEqual([asked.needs, asked.declinedNeeds], [[], ['wealth_management']]);
    // the agent naming a product the customer never asked about, without an offer, is no offer
    assert.deepEqual(analyse('A:理财产品都不保本的', '那我就不弄了').declinedNeeds, []);
  });

  it('reads what is chosen after 还是/不如 as wanted, not as refused with what came before', () => {
    const chosen = analyse('不保本那我就不弄了 还是存定期稳当');
    assert.deepEqual([chosen.needs, chosen.declinedNeeds], [['deposit'], []]);
    assert.deepEqual(analyse('我不需要信用卡还是别推了').declinedNeeds, ['credit_card_new']);
  });

  it('takes a product the bank keeps pushing as refused, not as what was sold', () => {
    assert.deepEqual(analyse('这礼拜第四个电话了 全是推那个什么信用贷的').declinedNeeds, ['personal_loan']);
    assert.deepEqual(analyse('能不能别再给我发保险广告了 烦死了').declinedNeeds, ['insurance']);
    assert.deepEqual(analyse('别别别 别再跟我推什么理财了').declinedNeeds, ['wealth_management']);
    assert.deepEqual(analyse('马上给我结清 以后你们的分期 一期都不会碰').declinedNeeds, ['installment']);
    assert.deepEqual(
      analyse('A:那您以后有余钱 需要帮您做个定期续存计划吗', '不存了 以后都得还贷').declinedNeeds,
      ['deposit'],
    );
    const sold = analyse('理财经理推销的基金亏了三成');
    assert.deepEqual([sold.needs, sold.declinedNeeds], [[], []]);
  });

  it('hears a lost or blocked card as service, and Cantonese 唔要 as a refusal', () => {
    const lost = analyse('我信用卡丢了 帮我挂失');
    assert.deepEqual([lost.needs, lost.declinedNeeds], [[], []]);
    assert.deepEqual(analyse('我講咗幾多次 我唔要信用卡').declinedNeeds, ['credit_card_new']);
  });

  it('the last word on a product wins, and an agent naming a product creates nothing', () => {
    const a = analyse('我想了解一下信用卡', '算了 信用卡不需要了');
    assert.deepEqual([a.needs, a.declinedNeeds], [[], ['credit_card_new']]);
    assert.deepEqual(analyse('A:您可以办理我们的房贷和车贷', '嗯嗯知道了').needs, []);
  });

  it('turns a generic loan into the loan its purpose names', () => {
    assert.deepEqual(analyse('看中了一辆新能源车 想贷款买').needs, ['car_loan']);
    assert.deepEqual(analyse('我准备开个店 想贷点款').needs, ['business_loan']);
  });

  it('carries the loan being talked about to a generic loan word and to a refusal of the offer', () => {
    const car = analyse(
      '我上周刚提了台车 想绑个ETC',
      'A:好的 另外您需要了解一下我们的车主贷款吗',
      '不用了 没必要贷款',
    );
    assert.deepEqual([car.needs, car.declinedNeeds], [[], ['car_loan']]);
    const home = analyse(
      '我们刚买了套二手房',
      'A:恭喜 请问购房有贷款需求吗 我们按揭利率有优势',
      '不用 全款付清了',
    );
    assert.deepEqual(home.declinedNeeds, ['mortgage']);
    assert.deepEqual(analyse('A:需要帮您办个分期吗', '算了一下利息太高 不用了').declinedNeeds, [
      'installment',
    ]);
    assert.deepEqual(analyse('我算了一下 消费贷每个月还多少').declinedNeeds, []);
  });

  it('hears 别推了 and 先放着吧 as refusals, and an agent turning to a sale with 另外您', () => {
    assert.deepEqual(analyse('理财和保险都别推了').declinedNeeds.sort(), ['insurance', 'wealth_management']);
    assert.deepEqual(analyse('A:这笔钱您要不要考虑买点理财', '先放着吧 以后再说').declinedNeeds, [
      'wealth_management',
    ]);
    assert.deepEqual(analyse('A:已经帮您改好了 另外您的额度可以临时提到三万', '再说吧').declinedNeeds, [
      'credit_limit_increase',
    ]);
    assert.deepEqual(analyse('A:我们有给小商户的经营快贷 随借随还', '不用了 够周转').declinedNeeds, [
      'business_loan',
    ]);
    // a wish once held is no wish now; a deposit not renewed is refused
    assert.deepEqual(analyse('我那个活期里有十万 我本来想存定期的').needs, []);
    assert.deepEqual(analyse('你们帮我把自动转存取消了吧 定期不续了').declinedNeeds, ['deposit']);
    // pushed into it and told not to mention it again: a refusal, not a wish
    assert.deepEqual(
      analyse('你们网点上次非要我开个人养老金账户 我没开 你们电话里也别再跟我提这个了').declinedNeeds,
      ['pension'],
    );
    // the offer is what follows the turn to something new, not the service talk before it
    assert.deepEqual(
      analyse(
        'A:可以的，存款证明可以在app或网点开具。另外您买房的话，我行房贷目前首套利率3.05%，需要帮您预约客户经理吗？',
        '不用，我们全款，不贷款',
      ).declinedNeeds,
      ['mortgage'],
    );
    assert.deepEqual(
      analyse('A:我们现在有个人养老金账户开户活动 另外还有一款百万医疗险 每年只要几百块', '不用了不用了')
        .declinedNeeds,
      ['pension', 'insurance'],
    );
    // a loan offered for the van is a car loan, though the shop was named first
    assert.deepEqual(
      analyse(
        'A:执照未满一年可以申请个体工商户信用贷。另外如果店里需要送货车，我行也有商用车贷款，可以了解一下。',
        '车就不用了 我用自己的旧车送货',
      ).declinedNeeds,
      ['car_loan'],
    );
    // the card is what carries the offer, not the offer
    assert.deepEqual(analyse('A:另外您的信用卡可以提额 需要吗', '也不用 谢谢').declinedNeeds, [
      'credit_limit_increase',
    ]);
  });
});

describe('analysis: life events and sentiment', () => {
  it('finds life events, not negated or hypothetical ones', () => {
    assert.deepEqual(analyse('孩子明年去英国读书 想换点英镑').lifeEvents, ['study_abroad']);
    assert.deepEqual(analyse('我还没结婚').lifeEvents, []);
    assert.deepEqual(analyse('如果以后买房的话再说').lifeEvents, []);
    assert.deepEqual(analyse('我打算明年买房').lifeEvents, ['home_purchase']);
  });

  it('hears life events said the everyday way, and an occupation or a refund as none', () => {
    assert.deepEqual(analyse('上个月单位给我办了退 那我现在里面的钱能取出来了吧').lifeEvents, ['retirement']);
    assert.deepEqual(analyse('我上周办了退款 钱还没到').lifeEvents, []);
    assert.deepEqual(analyse('我明年要回老家那边上班了').lifeEvents, ['job_change']);
    assert.deepEqual(analyse('顺便问下 我打算年底买个车').lifeEvents, ['car_purchase']);
    assert.deepEqual(analyse('我就上个月刚把隔壁那个面馆盘下来').lifeEvents, ['business_start']);
    assert.deepEqual(analyse('我下个月去大阪读语言学校').lifeEvents, ['study_abroad']);
    assert.deepEqual(analyse('给我家小宝宝买份医疗险 三个月大').lifeEvents, ['new_child']);
    assert.deepEqual(analyse('营业执照变更了地址 我那个个体户的账户要改吗').lifeEvents, []);
    assert.deepEqual(analyse('我这烧烤店才开了四个月 哪来的六个月流水啊').lifeEvents, ['business_start']);
    assert.deepEqual(analyse('上个礼拜刚领的证哈哈').lifeEvents, ['marriage']);
    assert.deepEqual(analyse('我跟我未婚妻看中了一套 想问问房贷').lifeEvents.sort(), [
      'home_purchase',
      'marriage',
    ]);
    assert.deepEqual(analyse('我係香港人，轉咗份工去深圳返工').lifeEvents, ['job_change']);
  });

  it('scores customer sentiment from -1 to 1', () => {
    const angry = analyse('你们太过分了 气死我了！！').sentiment.customer;
    const happy = analyse('谢谢 你们服务很好 非常满意').sentiment.customer;
    assert.ok(angry < -0.5 && angry >= -1, String(angry));
    assert.ok(happy > 0.5 && happy <= 1, String(happy));
    assert.equal(analyse('A:您好 非常感谢您的耐心', '我想问一下').sentiment.customer, 0);
  });
});
