import { expect, it } from 'vitest';
import { formatDuration } from './duration';

it.each([
  [172_800_000, '48 h'],
  [86_400_000 + 3_600_000, '25 h'],
  [5_400_000, '90 min'],
  [30_000, '30 s'],
  [1500, '1500 ms'],
])('%i ms is %s', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});
