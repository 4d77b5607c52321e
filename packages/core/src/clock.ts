/** Time is injected everywhere so tests can move it; `now()` returns milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let lastMs = Number.NaN;
let lastIso = '';

/** ISO 8601 of `ms`; the last one is kept, as the hot path formats the same instant several times. */
export function iso(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString(); // throws for an invalid time, before anything is kept
    lastMs = ms;
  }
  return lastIso;
}
