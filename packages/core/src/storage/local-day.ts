import { type RawBuilder, sql } from 'kysely';
import { iso } from '../clock';
import type { OffsetSpan } from '../domain/time-zone';

const DAY = 86_400_000;

/** A timestamp column's local date as SQL every engine runs (see `localDay`). */
export interface LocalDay {
  /** The column's UTC date: the stored text's first ten characters. */
  utcDay: RawBuilder<string>;
  /** The days (−1, 0 or 1) its local date is from its UTC date. */
  shift: RawBuilder<number>;
}

/**
 * A timestamp column's local date in a zone whose offsets over the rows' times are `spans`, as SQL
 * every engine runs: its UTC date and `shift`. In each span of the zone's offset, local midnight is one
 * UTC time of day: east of UTC, rows at or after it are a day later; west of it, rows before it are a
 * day earlier.
 */
export function localDay(spans: OffsetSpan[], column: string): LocalDay {
  const ref = sql.ref(column);
  const shiftIn = (offsetMs: number): RawBuilder<number> => {
    if (offsetMs === 0) return sql<number>`0`;
    const midnight = new Date(offsetMs > 0 ? DAY - offsetMs : -offsetMs).toISOString().slice(11, 19);
    return offsetMs > 0
      ? sql<number>`case when substr(${ref}, 12, 8) >= ${midnight} then 1 else 0 end`
      : sql<number>`case when substr(${ref}, 12, 8) < ${midnight} then -1 else 0 end`;
  };
  const last = spans.at(-1)!;
  const earlier = spans.slice(0, -1);
  const shift =
    earlier.length === 0
      ? shiftIn(last.offsetMs)
      : sql<number>`case ${sql.join(
          earlier.map((s) => sql`when ${ref} < ${iso(s.end)} then ${shiftIn(s.offsetMs)}`),
          sql` `,
        )} else ${shiftIn(last.offsetMs)} end`;
  return { utcDay: sql<string>`substr(${ref}, 1, 10)`, shift };
}

/** The local date (`YYYY-MM-DD`) of a row grouped by `localDay`'s UTC date and shift. */
export const dateOfGroup = (row: { utc_day: string; shift: number | string }) =>
  iso(Date.parse(`${row.utc_day}T00:00:00Z`) + Number(row.shift) * DAY).slice(0, 10);
