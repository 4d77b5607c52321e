import { describe, expect, it } from 'vitest';
import { parseJsonLossless } from './lossless-json';

describe('parseJsonLossless', () => {
  it.each([
    ['{"id":9007199254740993}', { id: '9007199254740993' }],
    ['{"id":9007199254740992,"n":100}', { id: 9007199254740992, n: 100 }],
    ['[-18446744073709551617, 0, -1, 1.5]', ['-18446744073709551617', 0, -1, 1.5]],
    ['{"a":1.50,"b":1e3,"c":2E-7}', { a: '1.50', b: '1e3', c: '2E-7' }],
    [
      '{"s":"12345678901234567890","e":"a\\"9007199254740993"}',
      { s: '12345678901234567890', e: 'a"9007199254740993' },
    ],
    ['{"ok":true,"none":null,"f":false}', { ok: true, none: null, f: false }],
  ])('%s', (text, expected) => {
    expect(parseJsonLossless(text)).toEqual(expected);
  });

  it.each(['{"id":01}', '{"id":-}', '{', 'nope'])('refuses %s as JSON.parse does', (text) => {
    expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
  });
});
