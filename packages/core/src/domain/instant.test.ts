import { expect, it } from 'vitest';
import { parseInstant, storedInstant } from './instant';

it.each([
  ['2024-01-01', Date.UTC(2024, 0, 1)],
  ['2024-01-01T10:00:00Z', Date.UTC(2024, 0, 1, 10)],
  ['2024-01-01T13:00:00+03:00', Date.UTC(2024, 0, 1, 10)],
  ['2024-01-01T10:00:00.123Z', Date.UTC(2024, 0, 1, 10, 0, 0, 123)],
  ['2024-01-01T10:00', null],
  ['2024-01-01T10:00:00', null],
  ['2024-02-30', null],
  ['2027-02-30T10:00:00Z', null],
  ['2027-02-28T24:00:00Z', null],
  ['2027-02-28T10:60:00Z', null],
  ['2027-02-28T10:00:60Z', null],
  ['2027-02-28T10:00:00+24:00', null],
  ['2024-02-29T10:00Z', Date.UTC(2024, 1, 29, 10)],
  ['yesterday', null],
  ['', null],
])('%j → %s', (text, ms) => {
  expect(parseInstant(text)).toBe(ms);
});

it('an end date covers its whole day', () => {
  expect(parseInstant('2024-01-01', { endOfDay: true })).toBe(Date.UTC(2024, 0, 2));
});

it('stored instants stay within years 0000–9999, so they compare as text', () => {
  expect(storedInstant(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00.000Z');
  expect(storedInstant(parseInstant('9999-12-31', { endOfDay: true })!)).toBe('9999-12-31T23:59:59.999Z');
  expect(storedInstant(Date.UTC(-5, 0, 1))).toBe('0000-01-01T00:00:00.000Z');
});
