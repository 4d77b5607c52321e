import { canonicalTimeZone, instantOfWallClock, wallClock } from './time-zone';

/**
 * Quiet hours: a daily window of local wall-clock time (`20:00`–`08:00` in `Africa/Dar_es_Salaam`) in
 * which promotional messages wait. The window starts at `start` (that minute is quiet) and ends at `end`
 * (that minute is allowed); a `start` later than `end` crosses midnight; `start` equal to `end` is no
 * window. Local time comes from `Intl.DateTimeFormat`, so zones with daylight saving time work. Pure.
 */
export interface QuietHours {
  /** `HH:MM`, 24-hour. */
  start: string;
  end: string;
  /** An IANA time zone, e.g. `Africa/Dar_es_Salaam`. */
  timeZone: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = {
  start: '20:00',
  end: '08:00',
  timeZone: 'Africa/Dar_es_Salaam',
};

const MINUTE = 60_000;
const DAY = 86_400_000;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an `HH:MM` time (`00:00`–`23:59`); null for anything else. */
export function clockMinutes(text: string): number | null {
  const m = CLOCK_TIME.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** What is wrong with quiet hours (naming the field), or null when they are valid. */
export function quietHoursProblem(q: QuietHours): { field: keyof QuietHours; message: string } | null {
  for (const field of ['start', 'end'] as const)
    if (clockMinutes(q[field]) === null)
      return { field, message: 'must be a 24-hour time HH:MM, such as 20:00' };
  if (canonicalTimeZone(q.timeZone) === null)
    return { field: 'timeZone', message: 'must be an IANA time zone, such as Africa/Dar_es_Salaam' };
  return null;
}

/**
 * When the quiet window that `at` falls in ends (the first allowed minute, as an instant), or null when
 * `at` is not in quiet hours. Quiet hours are taken as valid (see `quietHoursProblem`).
 */
export function quietHoursEnd(at: number, q: QuietHours): number | null {
  const start = clockMinutes(q.start)!;
  const end = clockMinutes(q.end)!;
  if (start === end) return null;
  const local = wallClock(at, q.timeZone);
  const midnight = Math.floor(local / DAY) * DAY;
  const minute = (local - midnight) / MINUTE;
  const crossesMidnight = start > end;
  const quiet = crossesMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!quiet) return null;
  const endDay = crossesMidnight && minute >= start ? midnight + DAY : midnight;
  return instantOfWallClock(endDay + end * MINUTE, q.timeZone, at);
}

/** Whether `at` falls in quiet hours. */
export const isQuiet = (at: number, q: QuietHours): boolean => quietHoursEnd(at, q) !== null;
