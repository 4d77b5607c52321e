import { invalidField } from '../errors';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/i;
const DAY_MS = 86_400_000;
const MIN_STORED = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_STORED = Date.parse('9999-12-31T23:59:59.999Z');

/** A calendar date that exists (no 30 February), as UTC midnight in ms; null otherwise. */
export function calendarDate(text: string): number | null {
  if (!DATE.test(text)) return null;
  const ms = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2027-02-30 over to March: a date that does not read back the same does not exist.
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text ? ms : null;
}

/**
 * Reads an ISO 8601 date (`2024-01-01`, taken as UTC midnight) or a date-time with a UTC offset.
 * A date-time without an offset is refused: it would be ambiguous; so is a date or time that does not
 * exist (`2027-02-30`, `25:00`), rather than rolled over. `endOfDay` turns a date into the start of the
 * next day, for an inclusive end bound. Returns milliseconds, or null.
 */
export function parseInstant(text: string, options: { endOfDay?: boolean } = {}): number | null {
  const date = calendarDate(text);
  if (date !== null) return options.endOfDay ? date + DAY_MS : date;
  const m = DATE_TIME.exec(text);
  if (!m || calendarDate(m[1]!) === null) return null;
  const [hour, minute, second = '0', , offsetHour = '0', offsetMinute = '0'] = m.slice(2);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  if (Number(offsetHour) > 23 || Number(offsetMinute) > 59) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** An instant as the ISO text stored in the database, clamped to years 0000–9999 so it compares as text. */
export function storedInstant(ms: number): string {
  const clamped = Math.min(Math.max(ms, MIN_STORED), MAX_STORED);
  return new Date(clamped).toISOString();
}

/**
 * A date filter's bound as stored (`endOfDay`: a date covers that whole day), null when not given;
 * refused with VALIDATION_ERROR naming `field`.
 */
export function filterBound(field: string, text: string | undefined, endOfDay = false): string | null {
  if (text === undefined) return null;
  const ms = parseInstant(text, { endOfDay });
  if (ms === null) throw invalidField(field, 'must be an ISO 8601 date or date-time with a UTC offset');
  return storedInstant(ms);
}
