import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { charsetOf, decodeBody, firstInvalidUtf8 } from '../../../src/api/body-encoding.js';
import { InvalidEncodingError, UnsupportedCharsetError } from '../../../src/errors.js';

describe('request body decoding', () => {
  it('finds the first invalid UTF-8 byte exactly where valid text ends', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.uint8Array({ minLength: 1, maxLength: 6 }),
        (text, tail) => {
          const valid = Buffer.from(text);
          const bytes = Buffer.concat([valid, tail]);
          const at = firstInvalidUtf8(bytes);
          assert.equal(at === -1, isUtf8(bytes));
          if (at !== -1) {
            assert.ok(at >= valid.length, `${at} < ${valid.length}`);
            assert.ok(isUtf8(bytes.subarray(0, at)), 'everything before the offset is valid');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses overlong forms, surrogates and code points above U+10FFFF', () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xff],
    ]) {
      assert.equal(firstInvalidUtf8(Buffer.from([0x61, ...bad])), 1, bad.join(' '));
    }
  });

  it('decodes by the declared charset, and names what is wrong otherwise', () => {
    const gbk = Buffer.from('d6d0cec4', 'hex'); // 中文
    assert.equal(decodeBody(gbk, 'application/json; charset=GBK'), '中文');
    assert.equal(decodeBody(gbk, 'application/json; charset="gb2312"'), '中文');
    assert.equal(decodeBody(Buffer.from('\ufeff{"a":1}'), 'application/json'), '{"a":1}');
    assert.equal(decodeBody(Buffer.from('中文', 'utf16le'), 'text/plain; charset=utf-16le'), '中文');
    assert.throws(
      () => decodeBody(gbk, 'application/json'),
      (err: unknown) => {
        assert.ok(err instanceof InvalidEncodingError);
        assert.match(err.message, /byte 0\b/);
        assert.equal(err.details[0]?.where, 'byte 0');
        return true;
      },
    );
    assert.throws(() => decodeBody(gbk, 'application/json; charset=big5'), UnsupportedCharsetError);
    assert.equal(charsetOf('application/json'), undefined);
    assert.equal(charsetOf('application/json;charset=UTF-8'), 'utf-8');
  });
});
