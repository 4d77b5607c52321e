import { describe, expect, it } from 'vitest';
import { formatsFor } from './format';
import { translator } from './translate';

const DEC_4 = '2026-12-04T11:05:09.000Z';

describe('formats', () => {
  it('writes a time in the zone with its offset, in each language', () => {
    const sw = formatsFor('sw', 'Africa/Dar_es_Salaam');
    expect(sw.when(DEC_4)).toBe('4 Des 2026 14:05 (+03:00)');
    expect(sw.whenExact(DEC_4)).toBe('4 Des 2026 14:05:09 (+03:00)');
    expect(formatsFor('en', 'Africa/Dar_es_Salaam').when(DEC_4)).toBe('4 Dec 2026 14:05 (+03:00)');
    expect(formatsFor('en', 'UTC').when(DEC_4)).toBe('4 Dec 2026 11:05 (+00:00)');
    expect(formatsFor('en', 'Asia/Kolkata').when(DEC_4)).toBe('4 Dec 2026 16:35 (+05:30)');
    expect(formatsFor('en', 'America/Santiago').when('2026-06-01T12:00:00Z')).toBe(
      '1 Jun 2026 08:00 (-04:00)',
    );
    expect(sw.when(null)).toBe('—');
  });

  it('writes money, numbers, percentages and days as each language does', () => {
    const sw = formatsFor('sw', 'Africa/Dar_es_Salaam');
    const en = formatsFor('en', 'Africa/Dar_es_Salaam');
    expect(sw.money(12_345.5, 'TZS')).toBe('TSh\u00a012,345.50');
    expect(en.money(12_345.5, 'TZS')).toBe('TZS\u00a012,345.50');
    expect(sw.number(1_234_567)).toBe('1,234,567');
    expect(en.percent(0.5)).toBe('50.0%');
    expect(sw.day('2026-12-04')).toBe('4 Des');
    expect(en.day('2026-05-10')).toBe('May 10');
  });
});

describe('translator', () => {
  const sw = translator('sw', formatsFor('sw', 'UTC').number);
  const en = translator('en', formatsFor('en', 'UTC').number);

  it('fills placeholders, writing numbers as the language does', () => {
    expect(en('pager.position', { page: 2, pages: 3, total: 1200 })).toBe('Page 2 of 3 · 1,200 in all');
    expect(sw('pager.position', { page: 2, pages: 3, total: 1200 })).toBe(
      'Ukurasa 2 kati ya 3 · 1,200 kwa jumla',
    );
  });

  it('counts in the plural form each language wants', () => {
    expect(en.count('message', 1)).toBe('1 message');
    expect(en.count('message', 2)).toBe('2 messages');
    expect(sw.count('message', 1)).toBe('ujumbe 1');
    expect(sw.count('message', 0)).toBe('jumbe 0');
  });

  it('knows a key made at run time, or says it has none', () => {
    expect(sw.maybe('status.delivered')).toBe('Imewasilishwa');
    expect(sw.maybe('status.nonsense')).toBeUndefined();
  });

  it('translates the dashboard’s own reasons, and leaves the services’ as they are', () => {
    expect(sw.reason('tick at least one permission')).toBe('chagua angalau ruhusa moja');
    expect(sw.reason('No account acc_1')).toBe('No account acc_1');
  });
});
