import { expect, it } from 'vitest';
import { parseInstant } from './instant';

it.each([
  ['2024-01-01', Date.UTC(2024, 0, 1)],
  ['2024-01-01T10:00:00Z', Date.UTC(2024, 0, 1, 10)],
  ['2024-01-01T13:00:00+03:00', Date.UTC(2024, 0, 1, 10)],
  ['2024-01-01T10:00:00.123Z', Date.UTC(2024, 0, 1, 10, 0, 0, 123)],
  ['2024-01-01T10:00', null],
  ['2024-01-01T10:00:00', null],
  ['2024-02-30', null],
  ['yesterday', null],
  ['', null],
])('%j → %s', (text, ms) => {
  expect(parseInstant(text)).toBe(ms);
});

it('an end date covers its whole day', () => {
  expect(parseInstant('2024-01-01', { endOfDay: true })).toBe(Date.UTC(2024, 0, 2));
});
