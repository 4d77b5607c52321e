import type { Clock } from '../clock';
import type { FleetState } from './fleet-state';

export interface BreakerPolicy {
  /** Consecutive retryable failures (refusals, timeouts) that open a carrier's circuit. */
  failures: number;
  /** How long an open circuit skips its carrier before one submit probes it again. */
  cooldownMs: number;
}

/** While dispatching, circuits other processes opened or closed are read at most this often. */
export const READ_EVERY_MS = 1000;

interface State {
  /** Retryable failures in a row, in this process. */
  failures: number;
  /** Until when the circuit is open, here or in another process (then it may be probed); 0: closed. */
  openUntil: number;
  /** This process has the fleet's one probe of the cooled-down circuit: `held` until it goes, then `out`. */
  probe: 'none' | 'held' | 'out';
  /** The change made here last (a number of `changes`), so a read that began before it does not undo it. */
  changed: number;
}

/**
 * A circuit breaker per carrier, shared by every process on the database: after `failures` retryable
 * failures in a row in one process, the carrier's circuit opens for all of them (failover takes the
 * next carrier on the route) until `cooldownMs` has passed; then one submit, from the one process that
 * claims the probe, tries it, and its outcome closes the circuit for all or opens it for another
 * cooldown. Each process keeps what it knows and reads the others' changes before a batch at most
 * every READ_EVERY_MS (`sync`), so asking whether a carrier may be used costs nothing; a write happens
 * only when a circuit opens, is probed or closes.
 */
export function createBreakers(
  clock: Clock,
  policy: BreakerPolicy,
  fleet: Pick<FleetState, 'openCircuit' | 'claimProbe' | 'closeCircuit' | 'openCircuits'>,
) {
  const states = new Map<string, State>();
  let changes = 0;
  let lastRead = Number.NEGATIVE_INFINITY;
  const stateOf = (id: string) => {
    let s = states.get(id);
    if (!s) {
      s = { failures: 0, openUntil: 0, probe: 'none', changed: 0 };
      states.set(id, s);
    }
    return s;
  };

  /** Reads every circuit the fleet has open into what this process knows. */
  async function refresh() {
    const since = changes;
    lastRead = clock.now();
    const open = await fleet.openCircuits();
    for (const id of new Set([...states.keys(), ...open.keys()])) {
      const s = stateOf(id);
      if (s.changed > since || s.probe !== 'none') continue;
      const until = open.get(id) ?? 0;
      if (until === 0 && s.openUntil > 0) s.failures = 0; // closed by another process's probe
      s.openUntil = until;
    }
  }

  return {
    /** Whether a submit may go to `carrierId` now; true for the probe this process holds. */
    allows(carrierId: string): boolean {
      const s = stateOf(carrierId);
      if (s.openUntil === 0) return true;
      if (s.probe !== 'held') return false;
      s.probe = 'out';
      return true;
    },
    /** `allows` said yes but nothing was submitted (the submit was put off): the probe is held again. */
    unused(carrierId: string) {
      const s = stateOf(carrierId);
      if (s.probe === 'out') s.probe = 'held';
    },
    /** The carrier took a submit (or refused it for the message's own sake): the circuit closes. */
    async succeeded(carrierId: string) {
      const s = stateOf(carrierId);
      s.failures = 0;
      if (s.openUntil === 0) return;
      const was = s.openUntil;
      s.openUntil = 0;
      s.probe = 'none';
      s.changed = ++changes;
      await fleet.closeCircuit(carrierId, was);
    },
    /** The carrier failed a submit in a way that says it is unwell (a throttle, an error, a timeout). */
    async failed(carrierId: string) {
      const s = stateOf(carrierId);
      s.failures = s.probe === 'out' ? policy.failures : s.failures + 1;
      if (s.failures < policy.failures) return;
      s.openUntil = clock.now() + policy.cooldownMs;
      s.probe = 'none';
      s.changed = ++changes;
      await fleet.openCircuit(carrierId, s.openUntil);
    },
    /**
     * Before a batch: claims the probe of each circuit known here that has cooled down (one process of
     * the fleet gets it), and reads the circuits other processes opened or closed, at most every
     * READ_EVERY_MS (at once when another process took a probe).
     */
    async sync() {
      const now = clock.now();
      let lost = false;
      for (const [id, s] of states) {
        if (s.openUntil === 0 || now < s.openUntil || s.probe === 'out') continue;
        // A probe held through its cooldown unused is another process's to take now.
        const until = now + policy.cooldownMs;
        if (await fleet.claimProbe(id, now, until)) {
          s.openUntil = until;
          s.probe = 'held';
          s.changed = ++changes;
        } else {
          s.probe = 'none';
          lost = true;
        }
      }
      if (lost || now - lastRead >= READ_EVERY_MS) await refresh();
    },
    /** Reads the fleet's circuits now (for operators' views). */
    refresh,
    /** Whether the carrier's circuit is open (it is skipped but for a probe once cooled down). */
    isOpen: (carrierId: string) => stateOf(carrierId).openUntil > 0,
    /** Each carrier's circuit, for operators: `open` while it is skipped. */
    status(): Record<string, 'closed' | 'open'> {
      return Object.fromEntries([...states].map(([id, s]) => [id, s.openUntil > 0 ? 'open' : 'closed']));
    },
  };
}

export type Breakers = ReturnType<typeof createBreakers>;
