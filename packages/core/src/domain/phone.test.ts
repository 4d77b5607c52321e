import { describe, expect, it } from 'vitest';
import { operatorTable } from './operators';
import { normalizePhone, normalizeServiceNumber } from './phone';

const loose = { defaultRegion: 'TZ', strict: false, operatorOf: operatorTable() };

describe('normalizePhone', () => {
  it.each([
    ['+255123456789', '+255123456789', null],
    ['+255987654321', '+255987654321', null],
    ['0712345678', '+255712345678', 'yas'],
    ['255754000111', '+255754000111', 'vodacom'],
    ['+255 68 123 4567', '+255681234567', 'airtel'],
    ['+14155552671', '+14155552671', null],
  ])('accepts %s as %s', (input, e164, operator) => {
    expect(normalizePhone(input, loose)).toEqual({ ok: true, e164, operator });
  });

  it.each(['12345', '+2551234', '+999123456789', '+255 712 ABC 678', '+25571234567a', '', '++255712345678'])(
    'rejects %s',
    (input) => {
      const r = normalizePhone(input, loose);
      expect(r.ok).toBe(false);
    },
  );

  it('strict mode also checks the numbering plan', () => {
    expect(normalizePhone('+255123456789', { ...loose, strict: true }).ok).toBe(false);
    expect(normalizePhone('+255754000111', { ...loose, strict: true }).ok).toBe(true);
  });

  it('reads national numbers in the configured region', () => {
    expect(normalizePhone('0712345678', { defaultRegion: 'KE', strict: false })).toMatchObject({
      ok: true,
      e164: '+254712345678',
    });
  });
});

describe('normalizeServiceNumber', () => {
  it.each([
    ['15678', '15678'],
    [' 123 ', '123'],
    ['12345678', '12345678'],
    ['0712345678', '+255712345678'],
    ['255712345678', '+255712345678'],
    ['+255 712 345 678', '+255712345678'],
    ['12', null],
    ['DUKA', null],
    ['', null],
  ])('%j → %j', (input, kept) => {
    expect(normalizeServiceNumber(input, 'TZ')).toBe(kept);
  });
});
