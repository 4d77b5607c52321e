const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const DAY_MS = 86_400_000;

/**
 * Reads an ISO 8601 date (`2024-01-01`, taken as UTC midnight) or a date-time with a UTC offset.
 * A date-time without an offset is refused: it would be ambiguous. `endOfDay` turns a date into the
 * start of the next day, for an inclusive end bound. Returns milliseconds, or null.
 */
export function parseInstant(text: string, options: { endOfDay?: boolean } = {}): number | null {
  if (DATE_ONLY.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return null;
    return options.endOfDay ? ms + DAY_MS : ms;
  }
  if (!DATE_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
