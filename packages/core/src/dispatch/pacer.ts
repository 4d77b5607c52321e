import type { Clock } from '../clock';
import type { Stretch } from './fleet-state';

/** A submit's turn at its carrier: go now, or be put back until then (no attempt spent). */
export type Turn = 'now' | { deferUntil: number };

/** A slot reached this long after its time (the process was stalled) is given up, not used late. */
const LATE_MS = 50;

const NOW: Promise<Turn> = Promise.resolve('now');

type Told = { slot: number } | { deferUntil: number };

/** Takes a stretch of a carrier's timeline shared by every process (fleet-state.ts `claim`). */
type Claim = (carrierId: string, earliest: number, length: number, latest: number) => Promise<Stretch>;

/**
 * Spaces submits to each carrier to its `submitsPerSecond` across every process on the database. A
 * carrier's submits have slots on one timeline, every 1/rate s (on multiples of that interval since
 * the epoch); a process claims the slots it needs in one statement for all the submits that ask in the
 * same turn of the event loop (a batch's), none further than `maxWaitMs` away, and each submit waits
 * for its first slot (one that goes out as several, a long message's parts, takes that many slots in a
 * row). Those left without slots are put back, in a row after where the timeline is taken, each until
 * its slots would be within reach; those whose slot came while the process was stalled are put back
 * at once. Carriers without a rate cost nothing here.
 */
export function createPacer(deps: {
  rates: ReadonlyMap<string, number>;
  maxWaitMs: number;
  clock: Clock;
  claim: Claim;
}) {
  const { maxWaitMs, clock } = deps;

  function lane(carrierId: string, rate: number) {
    const interval = 1000 / rate;
    /** The most slots one submit takes: all there are within reach (more would never be granted). */
    const most = Math.max(1, Math.floor(maxWaitMs / interval));
    /** The submits of this turn, waiting to be told their slots by one claim. */
    let asking: { slots: number; resolve(told: Told): void; reject(error: unknown): void }[] = [];
    /** The first slot no process had claimed, as the last claim saw it (the timeline only grows). */
    let taken = Number.NEGATIVE_INFINITY;
    /** Where the slots of the submits put back so far would end. */
    let queuedUntil = Number.NEGATIVE_INFINITY;

    async function claimFor(waiting: typeof asking) {
      const now = clock.now();
      const earliest = Math.ceil(now / interval) * interval;
      const latest = (Math.floor((now + maxWaitMs) / interval) + 1) * interval;
      const wanted = waiting.reduce((n, w) => n + w.slots, 0);
      // Taken beyond reach already: no slot for anyone, and no statement to find that out.
      const stretch =
        taken >= latest
          ? { start: taken, end: taken }
          : await deps.claim(carrierId, earliest, wanted * interval, latest);
      taken = Math.max(taken, stretch.end);
      const granted = Math.round((stretch.end - stretch.start) / interval);
      const from = Math.max(stretch.end, queuedUntil);
      let used = 0;
      let queued = 0;
      for (const w of waiting) {
        if (used + w.slots <= granted) {
          w.resolve({ slot: stretch.start + used * interval });
          used += w.slots;
        } else {
          w.resolve({ deferUntil: from + queued * interval - maxWaitMs });
          queued += w.slots;
        }
      }
      queuedUntil = from + queued * interval;
    }

    /** This submit's first slot or deferral, from the claim made for every submit that asks in this turn. */
    const ask = (slots: number) =>
      new Promise<Told>((resolve, reject) => {
        if (asking.push({ slots: Math.min(slots, most), resolve, reject }) > 1) return;
        queueMicrotask(() => {
          const waiting = asking;
          asking = [];
          claimFor(waiting).catch((error) => {
            for (const w of waiting) w.reject(error);
          });
        });
      });

    return async (slots: number): Promise<Turn> => {
      const told = await ask(slots);
      if ('deferUntil' in told) return told;
      const wait = told.slot - clock.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return clock.now() - told.slot > LATE_MS ? { deferUntil: clock.now() } : 'now';
    };
  }

  const lanes = new Map([...deps.rates].map(([id, rate]) => [id, lane(id, rate)]));
  return {
    /**
     * Resolves when the submit's slots have come (`slots`: the submits it goes out as at the carrier),
     * or says until when to put it back.
     */
    turn: (carrierId: string, slots = 1): Promise<Turn> => lanes.get(carrierId)?.(slots) ?? NOW,
  };
}
