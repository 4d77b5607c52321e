import { expect, it } from 'vitest';
import { pricePerSegment } from './pricing';

const table = {
  home: '+255',
  perSegment: 1000,
  operators: { vodacom: 900, safaricom: 2000 },
  prefixes: { '+2557': 800, '+25575': 700, '+44': 3000 },
};

it.each([
  ['+255754000111', 'vodacom', 700],
  ['+255712000111', 'yas', 800],
  ['+255681234567', 'airtel', 1000],
  ['+447911123456', null, 3000],
  ['+254712345678', 'safaricom', 2000],
])('%s (%s) costs %i per segment', (phone, op, price) => {
  expect(pricePerSegment(phone, op, table)).toBe(price);
});

it('falls back to the operator price when no prefix matches', () => {
  expect(pricePerSegment('+255654000111', 'vodacom', table)).toBe(900);
});

it('has no price for a number outside the default region that no prefix or operator prices', () => {
  expect(pricePerSegment('+14155552671', null, table)).toBeNull();
  expect(pricePerSegment('+254712345678', null, table)).toBeNull();
  expect(pricePerSegment('+254712345678', 'vodacom', { ...table, operators: {} })).toBeNull();
});
