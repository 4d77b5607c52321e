import { expect, it } from 'vitest';
import { relativeValidity } from './validity';

it.each([
  [undefined, ''],
  [60_000, '000000000100000R'],
  [300_000, '000000000500000R'],
  [90_061_000, '000001010101000R'],
  [604_800_000, '000007000000000R'],
  [1_500, '000000000002000R'],
  [-5_000, '000000000001000R'],
])('%s ms left → %j', (left, text) => {
  const now = Date.UTC(2026, 11, 3);
  expect(relativeValidity(left === undefined ? undefined : now + left, now)).toBe(text);
});
