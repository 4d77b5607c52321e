import type { Clock } from '../clock';

export interface BreakerPolicy {
  /** Consecutive retryable failures (refusals, timeouts) that open a carrier's circuit. */
  failures: number;
  /** How long an open circuit skips its carrier before one submit probes it again. */
  cooldownMs: number;
}

interface State {
  failures: number;
  /** While open: when a probe may go. */
  openUntil: number;
  /** A probe is out: nothing else goes until it comes back. */
  probing: boolean;
}

/**
 * A circuit breaker per carrier, in this process: after `failures` retryable failures in a row the
 * carrier is skipped (failover takes the next on the route) until `cooldownMs` has passed; then one
 * submit probes it, and its outcome closes the circuit or opens it for another cooldown.
 */
export function createBreakers(clock: Clock, policy: BreakerPolicy) {
  const states = new Map<string, State>();
  const stateOf = (id: string) => {
    let s = states.get(id);
    if (!s) {
      s = { failures: 0, openUntil: 0, probing: false };
      states.set(id, s);
    }
    return s;
  };
  const isOpen = (s: State) => s.failures >= policy.failures;

  return {
    /** Whether a submit may go to `carrierId` now; true for the one probe of a cooled-down circuit. */
    allows(carrierId: string): boolean {
      const s = stateOf(carrierId);
      if (!isOpen(s)) return true;
      if (s.probing || clock.now() < s.openUntil) return false;
      s.probing = true;
      return true;
    },
    /** `allows` said yes but nothing was submitted (the submit was put off): a probe may go again. */
    unused(carrierId: string) {
      stateOf(carrierId).probing = false;
    },
    /** The carrier took a submit (or refused it for the message's own sake): the circuit closes. */
    succeeded(carrierId: string) {
      const s = stateOf(carrierId);
      s.failures = 0;
      s.probing = false;
    },
    /** The carrier failed a submit in a way that says it is unwell (a throttle, an error, a timeout). */
    failed(carrierId: string) {
      const s = stateOf(carrierId);
      s.failures = s.probing ? policy.failures : s.failures + 1;
      s.probing = false;
      if (isOpen(s)) s.openUntil = clock.now() + policy.cooldownMs;
    },
    /** Whether the carrier's circuit is open (it is skipped but for a probe once cooled down). */
    isOpen: (carrierId: string) => isOpen(stateOf(carrierId)),
    /** Each carrier's circuit, for operators: `open` while it is skipped. */
    status(): Record<string, 'closed' | 'open'> {
      return Object.fromEntries([...states].map(([id, s]) => [id, isOpen(s) ? 'open' : 'closed']));
    },
  };
}

export type Breakers = ReturnType<typeof createBreakers>;
