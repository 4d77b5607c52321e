import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors';
import { reportRange } from './report-range';

/** The refusal of `query`: its field and message. */
function refusal(query: Parameters<typeof reportRange>[0]) {
  try {
    reportRange(query);
  } catch (e) {
    if (e instanceof GatewayError && e.code === 'VALIDATION_ERROR') return e.details;
    throw e;
  }
  throw new Error('not refused');
}

describe('report ranges', () => {
  it('covers the calendar days from `from` to `to` in the zone, Dar es Salaam by default', () => {
    const range = reportRange({ from: '2026-02-27', to: '2026-03-01' });
    expect(range).toMatchObject({
      from: '2026-02-27',
      to: '2026-03-01',
      timeZone: 'Africa/Dar_es_Salaam',
      days: ['2026-02-27', '2026-02-28', '2026-03-01'],
      start: Date.parse('2026-02-26T21:00:00Z'),
      end: Date.parse('2026-03-01T21:00:00Z'),
      spans: [{ offsetMs: 3 * 3_600_000 }],
    });
    expect(reportRange({ from: '2026-03-01', to: '2026-03-01', time_zone: 'utc' })).toMatchObject({
      timeZone: 'UTC',
      days: ['2026-03-01'],
    });
  });

  it('takes up to 366 days, a leap year whole', () => {
    expect(reportRange({ from: '2028-01-01', to: '2028-12-31' }).days).toHaveLength(366);
    expect(refusal({ from: '2026-01-01', to: '2027-01-02' })).toEqual([
      { field: 'to', message: 'must be at most 366 days from from (both included)' },
    ]);
  });

  it.each([
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from', 'must be a date YYYY-MM-DD that exists'],
    [{ from: '2026-03-01', to: '1 March' }, 'to', 'must be a date YYYY-MM-DD that exists'],
    [{ from: '1969-12-31', to: '1970-01-01' }, 'from', 'must be from 1970-01-01 to 9999-12-30'],
    [{ from: '9999-12-31', to: '9999-12-31' }, 'from', 'must be from 1970-01-01 to 9999-12-30'],
    [{ from: '2026-03-02', to: '2026-03-01' }, 'to', 'must not be before from'],
    [
      { from: '2026-03-01', to: '2026-03-01', time_zone: 'Africa/Atlantis' },
      'time_zone',
      'must be an IANA time zone, such as Africa/Dar_es_Salaam',
    ],
    [
      { from: '2026-03-01', to: '2026-03-01', time_zone: '+03:00' },
      'time_zone',
      'must be an IANA time zone, such as Africa/Dar_es_Salaam',
    ],
  ])('refuses %j naming %s', (query, field, message) => {
    expect(refusal(query)).toEqual([{ field, message }]);
  });
});
