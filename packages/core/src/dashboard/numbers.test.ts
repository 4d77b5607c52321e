import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../domain/phone';
import { readNumbers } from './numbers';

const check = (input: string) => normalizePhone(input, { defaultRegion: 'TZ', strict: true });
const read = (text: string) => readNumbers(text, check).map((n) => n.e164 ?? `✗ ${n.input}`);

describe('readNumbers', () => {
  it('reads any separators, and spaces inside a number, as the send reads numbers', () => {
    expect(read('0754 123 456, +255 755 111 222;0713000001\n\n255684000002\t0754-000-003')).toEqual([
      '+255754123456',
      '+255755111222',
      '+255713000001',
      '+255684000002',
      '+255754000003',
    ]);
    expect(read('0754 123 456 0755 111 222')).toEqual(['+255754123456', '+255755111222']);
    expect(read('  ')).toEqual([]);
  });

  it('keeps what the send would refuse as typed, with the reason', () => {
    const r = readNumbers('0754123456 12 34 | abc, 0755111222', check);
    expect(r.map((n) => n.e164 ?? `✗ ${n.input}`)).toEqual([
      '+255754123456',
      '✗ 12 34',
      '✗ abc',
      '+255755111222',
    ]);
    expect(r[2]!.reason).toMatch(/only digits/);
    expect(r[1]!.reason).toBeTruthy();
  });
});
