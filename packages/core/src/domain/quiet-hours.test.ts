import { describe, expect, it } from 'vitest';
import {
  clockMinutes,
  DEFAULT_QUIET_HOURS,
  isQuiet,
  type QuietHours,
  quietHoursEnd,
  quietHoursProblem,
} from './quiet-hours';

const at = (text: string) => Date.parse(text);
const dar = DEFAULT_QUIET_HOURS; // 20:00–08:00, UTC+3 all year
const lunch: QuietHours = { start: '13:00', end: '14:00', timeZone: 'Africa/Dar_es_Salaam' };
const london: QuietHours = { start: '20:00', end: '08:00', timeZone: 'Europe/London' };

describe('clock times and zones', () => {
  it.each([
    ['00:00', 0],
    ['08:00', 480],
    ['20:00', 1200],
    ['23:59', 1439],
  ])('%s is %i minutes after midnight', (text, minutes) => {
    expect(clockMinutes(text)).toBe(minutes);
  });

  it.each(['24:00', '8:00', '08:60', '08:00:00', '', ' 08:00', '0800', '08.00', '-1:00'])(
    '%j is not a time',
    (text) => {
      expect(clockMinutes(text)).toBeNull();
    },
  );

  it('names the field that is wrong', () => {
    expect(quietHoursProblem(dar)).toBeNull();
    expect(quietHoursProblem({ ...dar, start: '8pm' })?.field).toBe('start');
    expect(quietHoursProblem({ ...dar, end: '25:00' })?.field).toBe('end');
    expect(quietHoursProblem({ ...dar, timeZone: 'Africa/Atlantis' })).toEqual({
      field: 'timeZone',
      message: 'must be an IANA time zone, such as Africa/Dar_es_Salaam',
    });
  });
});

describe('a window across midnight in Dar es Salaam (20:00–08:00, UTC+3)', () => {
  it.each([
    // local time → UTC, and when the window ends (null: not quiet)
    ['19:59:59.999 is allowed', '2026-06-10T16:59:59.999Z', null],
    ['20:00 is quiet, until 08:00 the next day', '2026-06-10T17:00:00Z', '2026-06-11T05:00:00.000Z'],
    ['21:00 is quiet, until 08:00 the next day', '2026-06-10T18:00:00Z', '2026-06-11T05:00:00.000Z'],
    ['23:59 is quiet', '2026-06-10T20:59:00Z', '2026-06-11T05:00:00.000Z'],
    ['00:00 is quiet, until 08:00 that day', '2026-06-10T21:00:00Z', '2026-06-11T05:00:00.000Z'],
    ['07:59 is quiet, until 08:00', '2026-06-11T04:59:00Z', '2026-06-11T05:00:00.000Z'],
    ['07:59:59.999 is quiet', '2026-06-11T04:59:59.999Z', '2026-06-11T05:00:00.000Z'],
    ['08:00 is allowed', '2026-06-11T05:00:00Z', null],
    ['12:00 is allowed', '2026-06-11T09:00:00Z', null],
    ['a new year’s eve night ends in the new year', '2026-12-31T19:00:00Z', '2027-01-01T05:00:00.000Z'],
    ['29 February night', '2028-02-29T18:00:00Z', '2028-03-01T05:00:00.000Z'],
  ])('%s', (_what, instant, ends) => {
    expect(quietHoursEnd(at(instant), dar)).toBe(ends === null ? null : at(ends));
    expect(isQuiet(at(instant), dar)).toBe(ends !== null);
  });
});

describe('a window within a day (13:00–14:00)', () => {
  it.each([
    ['12:59 is allowed', '2026-06-10T09:59:00Z', null],
    ['13:00 is quiet until 14:00', '2026-06-10T10:00:00Z', '2026-06-10T11:00:00.000Z'],
    ['13:59 is quiet', '2026-06-10T10:59:00Z', '2026-06-10T11:00:00.000Z'],
    ['14:00 is allowed', '2026-06-10T11:00:00Z', null],
    ['midnight is allowed', '2026-06-10T21:00:00Z', null],
  ])('%s', (_what, instant, ends) => {
    expect(quietHoursEnd(at(instant), lunch)).toBe(ends === null ? null : at(ends));
  });
});

describe('no window', () => {
  it('start equal to end is never quiet', () => {
    const none = { ...dar, start: '08:00', end: '08:00' };
    for (let h = 0; h < 24; h++) expect(isQuiet(Date.UTC(2026, 5, 10, h, 30), none)).toBe(false);
  });

  it('00:00–00:00 is never quiet either, and 00:00–23:59 leaves one minute a day', () => {
    expect(isQuiet(at('2026-06-10T21:00:00Z'), { ...dar, start: '00:00', end: '00:00' })).toBe(false);
    const almostAll = { ...dar, start: '00:00', end: '23:59' };
    expect(quietHoursEnd(at('2026-06-10T21:00:00Z'), almostAll)).toBe(at('2026-06-11T20:59:00Z'));
    expect(isQuiet(at('2026-06-11T20:59:00Z'), almostAll)).toBe(false);
  });
});

describe('a zone with daylight saving time (London, 20:00–08:00)', () => {
  it('in winter (GMT, UTC+0) and in summer (BST, UTC+1) the window follows the wall clock', () => {
    expect(quietHoursEnd(at('2026-01-15T20:00:00Z'), london)).toBe(at('2026-01-16T08:00:00Z'));
    expect(isQuiet(at('2026-01-15T19:59:00Z'), london)).toBe(false);
    expect(quietHoursEnd(at('2026-07-15T19:00:00Z'), london)).toBe(at('2026-07-16T07:00:00Z'));
    expect(isQuiet(at('2026-07-15T18:59:00Z'), london)).toBe(false);
    expect(isQuiet(at('2026-07-16T07:00:00Z'), london)).toBe(false);
  });

  it('the night the clocks go forward (29 March 2026, 01:00 GMT → 02:00 BST) is an hour shorter', () => {
    const from = at('2026-03-28T20:00:00Z'); // 20:00 GMT
    expect(quietHoursEnd(from, london)).toBe(at('2026-03-29T07:00:00Z')); // 08:00 BST
    expect(quietHoursEnd(at('2026-03-29T01:30:00Z'), london)).toBe(at('2026-03-29T07:00:00Z'));
  });

  it('the night the clocks go back (25 October 2026, 02:00 BST → 01:00 GMT) is an hour longer', () => {
    const from = at('2026-10-24T19:00:00Z'); // 20:00 BST
    expect(quietHoursEnd(from, london)).toBe(at('2026-10-25T08:00:00Z')); // 08:00 GMT
    expect(isQuiet(at('2026-10-24T18:59:00Z'), london)).toBe(false);
  });

  it('an end the clocks jump over is the minute of the jump', () => {
    const toHalfOne = { ...london, start: '22:00', end: '01:30' };
    // 01:30 does not happen on 29 March: at 01:00 GMT the clock reads 02:00 BST, which is past the end.
    expect(quietHoursEnd(at('2026-03-28T23:00:00Z'), toHalfOne)).toBe(at('2026-03-29T01:00:00Z'));
    expect(isQuiet(at('2026-03-29T01:00:00Z'), toHalfOne)).toBe(false);
    expect(isQuiet(at('2026-03-29T00:59:00Z'), toHalfOne)).toBe(true);
  });

  it('an end that happens twice is the next one after the instant asked about', () => {
    const toHalfOne = { ...london, start: '22:00', end: '01:30' };
    // 01:30 happens at 00:30Z (BST) and again at 01:30Z (GMT) on 25 October.
    expect(quietHoursEnd(at('2026-10-24T22:00:00Z'), toHalfOne)).toBe(at('2026-10-25T00:30:00Z'));
    // Back at 01:00 GMT the wall clock is in the window again, until its second 01:30.
    expect(quietHoursEnd(at('2026-10-25T01:00:00Z'), toHalfOne)).toBe(at('2026-10-25T01:30:00Z'));
  });

  it('a start the clocks jump over is no quiet minute; the window then runs as the wall clock says', () => {
    const fromHalfOne = { ...london, start: '01:30', end: '06:00' };
    expect(isQuiet(at('2026-03-29T00:59:00Z'), fromHalfOne)).toBe(false); // 00:59 GMT
    expect(quietHoursEnd(at('2026-03-29T01:00:00Z'), fromHalfOne)).toBe(at('2026-03-29T05:00:00Z'));
  });
});

describe('every minute of a day', () => {
  it('is quiet exactly when its wall-clock minute is in the window, and the end is the next allowed minute', () => {
    const day = at('2026-06-10T21:00:00Z'); // 00:00 in Dar es Salaam
    for (let minute = 0; minute < 1440; minute++) {
      const instant = day + minute * 60_000;
      const ends = quietHoursEnd(instant, dar);
      expect(ends !== null, `minute ${minute}`).toBe(minute < 480 || minute >= 1200);
      if (ends !== null) {
        expect(isQuiet(ends, dar)).toBe(false);
        expect(isQuiet(ends - 60_000, dar)).toBe(true);
      }
    }
  });
});
