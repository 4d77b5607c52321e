import { invalidField } from '../errors';
import { calendarDate } from './instant';
import { canonicalTimeZone, type OffsetSpan, offsetSpans, startOfLocalDay } from './time-zone';

/** The most days a usage report or export covers. */
export const MAX_REPORT_DAYS = 366;
/** The zone whose calendar days a report counts when the caller names none. */
export const DEFAULT_REPORT_TIME_ZONE = 'Africa/Dar_es_Salaam';
/** The earliest and latest dates a range may name. */
const FIRST_DATE = '1970-01-01';
const LAST_DATE = '9999-12-30';
const DAY = 86_400_000;

/** A range as a caller gives it: dates `YYYY-MM-DD`, both included, and an IANA time zone. */
export interface RangeQuery {
  from: string;
  to: string;
  time_zone?: string | undefined;
}

/** A checked range: its calendar days in the zone and the instants they span. */
export interface ReportRange {
  from: string;
  to: string;
  /** The zone's canonical IANA name. */
  timeZone: string;
  /** Every date from `from` to `to`, in order. */
  days: string[];
  /** The first instant of `from` (ms). */
  start: number;
  /** The first instant after `to` (ms). */
  end: number;
  /** The zone's offsets from `start` to `end`. */
  spans: OffsetSpan[];
}

function dateOf(field: 'from' | 'to', text: string): number {
  const ms = calendarDate(text);
  if (ms === null) throw invalidField(field, 'must be a date YYYY-MM-DD that exists');
  if (text < FIRST_DATE || text > LAST_DATE)
    throw invalidField(field, `must be from ${FIRST_DATE} to ${LAST_DATE}`);
  return ms;
}

/**
 * Checks a range, refusing with VALIDATION_ERROR naming the field: a date that does not exist, `to`
 * before `from`, more than `MAX_REPORT_DAYS` days, a zone the tz database does not know.
 */
export function reportRange(query: RangeQuery): ReportRange {
  const first = dateOf('from', query.from);
  const last = dateOf('to', query.to);
  const zone = query.time_zone ?? DEFAULT_REPORT_TIME_ZONE;
  const timeZone = canonicalTimeZone(zone);
  if (timeZone === null)
    throw invalidField('time_zone', 'must be an IANA time zone, such as Africa/Dar_es_Salaam');
  if (last < first) throw invalidField('to', 'must not be before from');
  const count = (last - first) / DAY + 1;
  if (count > MAX_REPORT_DAYS)
    throw invalidField(
      'to',
      `must be at most ${MAX_REPORT_DAYS} days from from (both included)`,
      `A range covers at most ${MAX_REPORT_DAYS} days; ${query.from} to ${query.to} is ${count}`,
    );
  const days = Array.from({ length: count }, (_, i) => new Date(first + i * DAY).toISOString().slice(0, 10));
  const start = startOfLocalDay(query.from, timeZone);
  const end = startOfLocalDay(new Date(last + DAY).toISOString().slice(0, 10), timeZone);
  return {
    from: query.from,
    to: query.to,
    timeZone,
    days,
    start,
    end,
    spans: offsetSpans(timeZone, start, end),
  };
}
