/**
 * Time zones from `Intl.DateTimeFormat` (every runtime the core runs on has the tz database): a zone's
 * canonical name, its wall clock and offset at an instant, the spans in which its offset holds, where
 * its local days start, and instants written in local time with the zone's offset. Pure.
 */

const SECOND = 1000;
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The zone's canonical IANA name (`africa/dar_es_salaam` → `Africa/Dar_es_Salaam`); null if unknown,
 * and for an offset (`+03:00`), which newer runtimes take as a zone but the tz database does not name.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!/^[A-Za-z]/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall-clock time at `at` in `zone`, written as if it were UTC (ms, whole seconds). */
export function wallClock(at: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(at))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The calendar date (`YYYY-MM-DD`) in `zone` at the instant `at`. */
export const dateIn = (at: number, zone: string) => new Date(wallClock(at, zone)).toISOString().slice(0, 10);

/** The zone's offset from UTC at `at`, in ms (east positive). */
export const offsetAt = (at: number, zone: string) => wallClock(at, zone) - Math.floor(at / SECOND) * SECOND;

/**
 * The first instant after `after` at which the wall clock in `zone` reads `wanted` (a wall-clock time
 * written as UTC) or later. Where the clocks go back and `wanted` happens twice, the first of those
 * after `after`; where they jump over it, the instant of the jump.
 */
export function instantOfWallClock(wanted: number, zone: string, after = Number.NEGATIVE_INFINITY): number {
  // The offsets a day either side cover any one transition near `wanted`.
  const offsets = [offsetAt(wanted - DAY, zone), offsetAt(wanted + DAY, zone)];
  const exact = offsets
    .map((o) => wanted - o)
    .filter((t) => t > after && wallClock(t, zone) === wanted)
    .sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // Skipped: the clock jumps from before `wanted` (at `lo`) to after it (at `hi`); find the jump's minute.
  let lo = wanted - Math.max(...offsets);
  let hi = wanted - Math.min(...offsets);
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
    if (wallClock(mid, zone) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A stretch of time, `start` to before `end` (ms), in which a zone's offset is `offsetMs`. */
export interface OffsetSpan {
  start: number;
  end: number;
  offsetMs: number;
}

/**
 * The spans of constant offset that cover `start` to before `end`, in order: the offset is probed once
 * a day and each change found to the second (tz database changes fall on whole seconds, at most one a
 * day), so a year costs a few hundred lookups.
 */
export function offsetSpans(zone: string, start: number, end: number): OffsetSpan[] {
  const spans: OffsetSpan[] = [];
  let spanStart = start;
  let offset = offsetAt(start, zone);
  let probe = start;
  while (probe < end - 1) {
    const next = Math.min(probe + DAY, end - 1);
    if (offsetAt(next, zone) === offset) {
      probe = next;
      continue;
    }
    // The offset changes after `lo` and by `hi` (whole seconds): halve until they are a second apart.
    let lo = Math.floor(probe / SECOND);
    let hi = Math.floor(next / SECOND);
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (offsetAt(mid * SECOND, zone) === offset) lo = mid;
      else hi = mid;
    }
    const change = hi * SECOND;
    spans.push({ start: spanStart, end: change, offsetMs: offset });
    spanStart = change;
    offset = offsetAt(change, zone);
    probe = change;
  }
  spans.push({ start: spanStart, end, offsetMs: offset });
  return spans;
}

/** Milliseconds of UTC midnight of a `YYYY-MM-DD` date. */
export const utcMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * The first instant whose local date in `zone` is `date` (`YYYY-MM-DD`) or later: its midnight, or,
 * where the clocks jump over midnight, the jump.
 */
export function startOfLocalDay(date: string, zone: string): number {
  const midnight = utcMidnight(date);
  // No offset is a day or more, so the spans of the two days either side hold the answer.
  for (const span of offsetSpans(zone, midnight - 2 * DAY, midnight + 2 * DAY)) {
    const first = Math.max(span.start, midnight - span.offsetMs);
    if (first < span.end) return first;
  }
  throw new RangeError(`No local day ${date} in ${zone}`);
}

const two = (n: number) => String(n).padStart(2, '0');

/** `±HH:MM` (`±HH:MM:SS` for the few historical offsets with seconds) of an offset in ms. */
function offsetText(offsetMs: number): string {
  const total = Math.abs(offsetMs) / SECOND;
  const seconds = total % 60;
  return `${offsetMs < 0 ? '-' : '+'}${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}${seconds ? `:${two(seconds)}` : ''}`;
}

/**
 * Writes instants as ISO 8601 local time in `zone` with its offset then (`2026-03-01T10:05:00.000+03:00`).
 * Each UTC day's offsets are looked up once, so writing many instants costs few lookups.
 */
export function localTimeWriter(zone: string): (ms: number) => string {
  const days = new Map<number, OffsetSpan[]>();
  return (ms) => {
    const day = Math.floor(ms / DAY);
    let spans = days.get(day);
    if (!spans) {
      spans = offsetSpans(zone, day * DAY, (day + 1) * DAY);
      days.set(day, spans);
    }
    const { offsetMs } = spans.find((s) => ms < s.end)!;
    return `${new Date(ms + offsetMs).toISOString().slice(0, 23)}${offsetText(offsetMs)}`;
  };
}
