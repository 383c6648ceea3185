import assert from 'node:assert/strict';
import { containsPii, redactText, type PiiKind } from '../../../../src/pipeline/redact/index.js';

// Valid numbers (checksums computed once): ID 110105199003071239, ID with X 31011519770815043X,
// Luhn cards 6222021234567890128 and 6228480012345671.
const cases: [string, string, PiiKind[]][] = [
  // ASR: no punctuation, number glued to the words around it.
  ['我的手机号是13812345678你记一下', '我的手机号是*******5678你记一下', ['phone']],
  ['幺三八 嗯 幺二三四 五六七八', '*** 嗯 **** 五六七八', ['phone']],
  ['一三八那个一二三四就是五六七八', '***那个****就是五六七八', ['phone']],
  ['一三八 嗯 那个 就是 一二三四 五六七八', '*** 嗯 那个 就是 **** 五六七八', ['phone']],
  ['我的电话是一三八一二三四五六七八一会儿打给我', '我的电话是*******五六七八一会儿打给我', ['phone']],
  ['号码是洞幺三八幺二三四五六七八', '号码是********五六七八', ['phone']],
  ['壹參捌壹貳參肆伍陸柒捌', '*******伍陸柒捌', ['phone']],
  ['138么234 5678', '******* 5678', ['phone']],
  ['138幺二三4五六七8', '*******五六七8', ['phone']],
  // Typed forms.
  ['+86 138-1234-5678', '+** ***-****-5678', ['phone']],
  ['(+86)13812345678', '(+**)*******5678', ['phone']],
  ['手机：（１３８）１２３４－５６７８', '手机：（***）****－５６７８', ['phone']],
  ['tel:138.1234.5678,谢谢', 'tel:***.****.5678,谢谢', ['phone']],
  // IDs: groups, X spoken as 叉 and 艾克斯, legacy 15 digits.
  ['身份证110105 19900307 1239', '身份证****** ******** 1239', ['id_card']],
  ['证件号三一零一一五一九七七零八一五零四三叉', '证件号**************零四三叉', ['id_card']],
  ['身份证是31011519770815043 艾克斯', '身份证是**************043 艾克斯', ['id_card']],
  ['老身份证号110105900307123', '老身份证号***********7123', ['id_card']],
  // Cards: Luhn-valid, and one ASR got wrong (masked anyway: a missed card is worse).
  ['卡号是6222 0212 3456 7890 128', '卡号是**** **** **** ***0 128', ['bank_card']],
  ['卡号六二二八四八零零一二三四五六七一', '卡号************五六七一', ['bank_card']],
  ['卡号六二二八四八零零一二三四五六七二', '卡号************五六七二', ['bank_card']],
  // Not a mobile prefix, landline, over-long runs: masked all the same.
  ['电话12345678901', '电话*******8901', ['phone']],
  ['座机010-62345678', '座机***-****5678', ['phone']],
  ['流水号2026110112345678901', '流水号***************8901', ['bank_card']],
  // Neighbours: amounts, dates, Chinese amounts, card tails stay.
  ['转了5000 13812345678', '转了5000 *******5678', ['phone']],
  ['20261101 13812345678', '20261101 *******5678', ['phone']],
  ['一万三千八百 13812345678', '一万三千八百 *******5678', ['phone']],
  ['尾号7890的卡6228480012345671', '尾号7890的卡************5671', ['bank_card']],
  // Groups split by a line break, a zero-width space, tildes, the full-width colon; more than three fillers.
  ['手机138\n1234\n5678', '手机***\n****\n5678', ['phone']],
  ['手机138\u200b1234\u200b5678', '手机***\u200b****\u200b5678', ['phone']],
  ['138~1234～5678', '***~****～5678', ['phone']],
  ['电话：138：1234：5678', '电话：***：****：5678', ['phone']],
  ['一三八 嗯 那个 就是 然后 一二三四 五六七八', '*** 嗯 那个 就是 然后 **** 五六七八', ['phone']],
  // Circled, Arabic-Indic and mathematical bold digits (two UTF-16 units each, masked as two).
  ['手机①③⑧①②③④⑤⑥⑦⑧', '手机*******⑤⑥⑦⑧', ['phone']],
  ['١٣٨١٢٣٤٥٦٧٨', '*******٥٦٧٨', ['phone']],
  ['𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖', `${'*'.repeat(14)}𝟓𝟔𝟕𝟖`, ['phone']],
  // Digits spelled in pinyin or English.
  [
    'wo de shou ji yao san ba yi er san si wu liu qi ba',
    'wo de shou ji *** *** ** ** ** *** ** wu liu qi ba',
    ['phone'],
  ],
  ['yāo sān bā 1234 5678', '*** *** ** **** 5678', ['phone']],
  [
    'one three eight one two three four five six seven eight',
    '*** ***** ***** *** *** ***** **** five six seven eight',
    ['phone'],
  ],
  // A hotline beside a mobile is a hotline and a mobile (the 16 digits also pass Luhn, by chance).
  ['热线95588和95555 13812345678', '热线95588和95555 *******5678', ['phone']],
  ['拨打400-820-8888 13812345678', '拨打400-820-8888 *******5678', ['phone']],
  // Two numbers with only a filler between them: both found.
  [
    '幺三八幺二三四五六七八 对 110105199003071239',
    '*******五六七八 对 **************1239',
    ['phone', 'id_card'],
  ],
];

describe('redactText on tricky utterances', () => {
  for (const [input, expected, kinds] of cases) {
    it(input, () => {
      const out = redactText(input);
      assert.equal(out.text, expected);
      assert.deepEqual(out.found, kinds);
      assert.equal(containsPii(input), true);
      assert.equal(containsPii(out.text), false);
      assert.deepEqual(
        redactText(out.text),
        { text: out.text, found: [] },
        'redacting twice changes nothing',
      );
    });
  }

  it('never leaves a valid number visible because a neighbour confused the boundaries', () => {
    // The cheapest reading is a weak 18-digit ID "41264 6 5 0 … 5" and the digits after it; the valid ID
    // 65010219960519518X is masked anyway.
    const out = redactText('41264 6 5 0 1 0 2 1 9 9 6 0 5 1 9 5 1 8 X 15');
    assert.equal(out.text, '***** * * * * * * * * * * * * * * 5 1 8 X 15');
    assert.deepEqual(out.found, ['id_card']);
  });

  it('masks the whole run, tail included, when it cannot tell the numbers apart', () => {
    assert.deepEqual(redactText('138-1234-5678 1234567890 123'), {
      text: '***-****-**** ********** ***',
      found: ['bank_card'],
    });
  });

  it('does not read x inside a word, or 么 in 什么, as a digit', () => {
    assert.equal(redactText('max 5000').text, 'max 5000');
    assert.equal(redactText('为什么1000块').text, '为什么1000块');
    assert.equal(redactText('什么13812345678').text, '什么*******5678');
  });

  it('keeps service numbers side by side: bank hotlines, 12xxx, 400 and 800 numbers', () => {
    for (const text of [
      '热线95588和95555',
      '95588、95555、95566',
      '95588 95555 95566 95533',
      '可以打12345、12315、12378投诉',
      '12345 400-082-1234',
      '400-820-8888、400-820-8889',
      '4008208888 4008208889',
      '800-820-8888/400-820-8888',
      // Found by fast-check: Luhn and ID checks that pass by chance across service numbers.
      '95000、12000、4000000000、12000、95000、95000',
      '4000000000、95000、4007-571-989、12540、10021',
      '8000000000、800-139-9345、8008591999、12180',
      'someone said one two three',
    ]) {
      assert.deepEqual(redactText(text), { text, found: [] }, text);
    }
  });

  it('leaves text without numbers, and an empty string, as they are', () => {
    for (const text of ['', '您好很高兴为您服务', '一下子两个人三四天', '****', '**重要**']) {
      assert.deepEqual(redactText(text), { text, found: [] });
      assert.equal(containsPii(text), false);
    }
  });
});
