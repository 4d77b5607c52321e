import type { CarrierAdapter } from '../carriers/contract';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Breakers } from './breaker';

/** A carrier's state as operators see it: its link's, or `breaker_open` while the dispatcher skips it. */
export type CarrierState = 'bound' | 'connecting' | 'down' | 'ready' | 'breaker_open';

export interface CarrierView {
  id: string;
  type: string;
  state: CarrierState;
  /** What last went wrong (a failed submit, or the link), and when (ISO). */
  last_error: { message: string; at: string } | null;
  /** Submits sent and not answered yet. */
  in_flight: number;
  /** Submits made in the last 60 s. */
  submits_last_minute: number;
}

const MINUTE_S = 60;
const UNAVAILABLE: ReadonlySet<CarrierState> = new Set(['down', 'breaker_open']);

interface Tally {
  inFlight: number;
  /** Submits per second for the last minute, a ring indexed by the second. */
  perSecond: number[];
  /** Which second each slot of the ring holds. */
  second: number[];
  lastError: { message: string; at: number } | null;
  /** Whether it was unavailable when last looked at, for logging each change once. */
  unavailable: boolean;
}

/**
 * Each carrier's state in this process: its adapter's link (`status()`), its circuit, the submits in
 * flight and in the last minute, and the last error. A change between available and unavailable is
 * logged once, when it is seen (`watch`), not once per attempt.
 */
export function createCarrierStates(deps: {
  carriers: ReadonlyMap<string, CarrierAdapter>;
  breakers: Breakers;
  clock: Clock;
  log: Logger;
}) {
  const { carriers, breakers, clock, log } = deps;
  const tallies = new Map<string, Tally>(
    [...carriers.keys()].map((id) => [
      id,
      {
        inFlight: 0,
        perSecond: Array(MINUTE_S).fill(0),
        second: Array(MINUTE_S).fill(-1),
        lastError: null,
        unavailable: false,
      },
    ]),
  );

  function stateOf(id: string): CarrierState {
    if (breakers.isOpen(id)) return 'breaker_open';
    return carriers.get(id)?.status?.().state ?? 'ready';
  }

  /** The newer of the last failed submit and the link's last error. */
  function lastErrorOf(id: string) {
    const link = carriers.get(id)?.status?.().lastError ?? null;
    const submit = tallies.get(id)?.lastError ?? null;
    return !link ? submit : !submit || link.at > submit.at ? link : submit;
  }

  /** `smsc is down (connect ECONNREFUSED 127.0.0.1:2775)` */
  function describe(id: string) {
    const state = stateOf(id);
    const error = lastErrorOf(id);
    const what = state === 'breaker_open' ? 'skipped after repeated failures' : `${state}`;
    return `${id} is ${what}${error ? ` (${error.message})` : ''}`;
  }

  return {
    stateOf,
    describe,
    /** Whether submits may go to the carrier as far as its link goes (its circuit is the breaker's). */
    linkUp: (id: string) => carriers.get(id)?.status?.().state !== 'down',

    /** A submit to `id` goes out. */
    submitting(id: string) {
      const t = tallies.get(id);
      if (!t) return;
      t.inFlight++;
      const second = Math.floor(clock.now() / 1000);
      const slot = second % MINUTE_S;
      if (t.second[slot] !== second) {
        t.second[slot] = second;
        t.perSecond[slot] = 0;
      }
      t.perSecond[slot]!++;
    },

    /** It came back, refused for the carrier's sake (`error`) or not. */
    answered(id: string, error?: string) {
      const t = tallies.get(id);
      if (!t) return;
      t.inFlight--;
      if (error !== undefined) t.lastError = { message: error, at: clock.now() };
    },

    /** Logs each carrier whose availability changed since it was last looked at. */
    watch() {
      for (const [id, t] of tallies) {
        const unavailable = UNAVAILABLE.has(stateOf(id));
        if (unavailable === t.unavailable) continue;
        t.unavailable = unavailable;
        if (unavailable) log.error(`carrier ${describe(id)}: messages routed only to it wait`);
        else log.error(`carrier ${id} is ${stateOf(id)} again`);
      }
    },

    /** Every carrier's view, in configuration order. */
    list(): CarrierView[] {
      const now = Math.floor(clock.now() / 1000);
      return [...carriers.values()].map((c) => {
        const t = tallies.get(c.id)!;
        const error = lastErrorOf(c.id);
        return {
          id: c.id,
          type: c.type,
          state: stateOf(c.id),
          last_error: error && { message: error.message, at: new Date(error.at).toISOString() },
          in_flight: t.inFlight,
          submits_last_minute: t.perSecond.reduce(
            (n, count, i) => (now - t.second[i]! < MINUTE_S ? n + count : n),
            0,
          ),
        };
      });
    },
  };
}

export type CarrierStates = ReturnType<typeof createCarrierStates>;
