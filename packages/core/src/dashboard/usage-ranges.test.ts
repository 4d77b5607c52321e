import { describe, expect, it } from 'vitest';
import { dateIn } from '../domain/time-zone';
import { presetRanges } from './usage-ranges';

describe('the usage page’s ranges', () => {
  it('takes today in the account’s time zone, not UTC', () => {
    const lateEvening = Date.parse('2026-03-31T22:30:00Z');
    expect(dateIn(lateEvening, 'Africa/Dar_es_Salaam')).toBe('2026-04-01');
    expect(dateIn(lateEvening, 'UTC')).toBe('2026-03-31');
    expect(dateIn(lateEvening, 'America/Lima')).toBe('2026-03-31');
  });

  it('offers the last 7 days, this month so far and the whole of last month', () => {
    expect(presetRanges('2026-03-04')).toEqual({
      last7: { from: '2026-02-26', to: '2026-03-04' },
      thisMonth: { from: '2026-03-01', to: '2026-03-04' },
      lastMonth: { from: '2026-02-01', to: '2026-02-28' },
    });
    expect(presetRanges('2028-01-01')).toEqual({
      last7: { from: '2027-12-26', to: '2028-01-01' },
      thisMonth: { from: '2028-01-01', to: '2028-01-01' },
      lastMonth: { from: '2027-12-01', to: '2027-12-31' },
    });
    expect(presetRanges('2028-03-15').lastMonth).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });
});
