import { iso } from '../clock';

/** A range of calendar days, both included, `YYYY-MM-DD`. */
export interface DayRange {
  from: string;
  to: string;
}

/** The usage page's quick ranges, in the order they are offered; `thisMonth` is its default. */
export const PRESETS = ['last7', 'thisMonth', 'lastMonth'] as const;
export type Preset = (typeof PRESETS)[number];

const DAY = 86_400_000;
const dateAt = (ms: number) => iso(ms).slice(0, 10);

/**
 * The quick ranges as of the day `today`: the last 7 days (today included), this month so far, and the
 * whole month before. Pure.
 */
export function presetRanges(today: string): Record<Preset, DayRange> {
  const midnight = Date.parse(`${today}T00:00:00Z`);
  const firstOfMonth = `${today.slice(0, 8)}01`;
  const lastMonthEnd = Date.parse(`${firstOfMonth}T00:00:00Z`) - DAY;
  return {
    last7: { from: dateAt(midnight - 6 * DAY), to: today },
    thisMonth: { from: firstOfMonth, to: today },
    lastMonth: { from: `${dateAt(lastMonthEnd).slice(0, 8)}01`, to: dateAt(lastMonthEnd) },
  };
}
