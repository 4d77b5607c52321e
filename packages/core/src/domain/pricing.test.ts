import { expect, it } from 'vitest';
import { pricePerSegment } from './pricing';

const table = { perSegment: 1000, operators: { vodacom: 900 }, prefixes: { '+2557': 800, '+25575': 700 } };

it.each([
  ['+255754000111', 'vodacom', 700],
  ['+255712000111', 'yas', 800],
  ['+255681234567', 'airtel', 1000],
  ['+14155552671', null, 1000],
])('%s (%s) costs %i per segment', (phone, op, price) => {
  expect(pricePerSegment(phone, op, table)).toBe(price);
});

it('falls back to the operator price when no prefix matches', () => {
  expect(pricePerSegment('+255654000111', 'vodacom', table)).toBe(900);
});
