import { describe, expect, it } from 'vitest';
import { axisTop, VolumeChart } from './chart';
import { formatsFor } from './i18n/format';
import { translator } from './i18n/translate';

const ctx = (lang: 'en' | 'sw') => {
  const fmt = formatsFor(lang, 'Africa/Dar_es_Salaam');
  return { root: '/d', csrf: '', nonce: 'n', path: '/d/', t: translator(lang, fmt.number), fmt };
};

/** 30 days ending 30 May 2026, with 1,234 recipients on the last. */
const DAYS = Array.from({ length: 30 }, (_, i) => ({
  day: `2026-05-${String(i + 1).padStart(2, '0')}`,
  delivered: i === 29 ? 1000 : i,
  sent: i === 29 ? 200 : 0,
  queued: 0,
  failed: i === 29 ? 34 : 0,
}));

describe('the volume chart', () => {
  it('rounds its vertical axis up to 1, 2 or 5 times a power of ten', () => {
    expect([1, 2, 3, 7, 10, 11, 1234, 5000].map(axisTop)).toEqual([1, 2, 5, 10, 10, 20, 2000, 5000]);
  });

  it('labels both axes in text a phone can read: recipients at the top, middle and zero, every 7th day', async () => {
    const html = String(await VolumeChart({ ctx: ctx('sw'), days: DAYS }).toString());
    expect(html).toContain('<span class="axis-title" aria-hidden="true">Wapokeaji</span>');
    expect(
      [...html.matchAll(/<span class="tick" style="top:([\d.]+)%">([^<]+)</g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['0', '2,000'],
      ['50', '1,000'],
      ['100', '0'],
    ]);
    expect([...html.matchAll(/justify-self:\w+">([^<]+)</g)].map((m) => m[1])).toEqual([
      '2 Mei',
      '9 Mei',
      '16 Mei',
      '23 Mei',
      '30 Mei',
    ]);
    expect(html).toContain('>Siku<');
    expect(html).toMatch(/<svg class="chart"[^>]*data-total="1640"/);
    expect(html).toContain('<g data-day="2026-05-30" data-total="1234"><title>30 Mei: 1,000 zimewasilishwa');
  });
});
