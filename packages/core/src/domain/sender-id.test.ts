import { expect, it } from 'vitest';
import { isWellFormedSenderId } from './sender-id';

it.each(['MIFUMO', 'Shop-TZ', 'ABCDEFGHIJK', '255712345678', '+255712345678', 'A1'])(
  '%s is well formed',
  (s) => {
    expect(isWellFormedSenderId(s)).toBe(true);
  },
);

it.each(['', 'ABCDEFGHIJKL', '1234567890123456', ' LEADING', 'emoji😀', 'a/b'])('%j is not', (s) => {
  expect(isWellFormedSenderId(s)).toBe(false);
});
