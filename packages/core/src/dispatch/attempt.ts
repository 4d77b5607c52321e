import { CarrierError } from '../carriers/contract';
import type { DeliveryError } from './transition-step';

export interface RetryPolicy {
  maxAttempts: number;
  /** The first retry waits this long; each later one twice as long as the one before. */
  retryBaseMs: number;
}

/**
 * The carrier for the `attempt`-th try (1-based) of a recipient: the route's carriers in turn, so a
 * retry fails over to the next one, skipping those that cannot take it now (`usable`: a carrier whose
 * link is down or circuit open). `none` (`CARRIER_UNAVAILABLE`, each carrier as `describe` puts it)
 * when no carrier on the route can; `fail` when there is no route or the attempts are used up.
 */
export function carrierForAttempt(
  route: readonly string[],
  attempt: number,
  maxAttempts: number,
  usable: (carrierId: string) => boolean = () => true,
  describe: (carrierId: string) => string = (id) => id,
): { carrierId: string } | { none: DeliveryError } | { fail: DeliveryError } {
  if (route.length === 0) return { fail: { code: 'NO_ROUTE', message: 'No carrier route for this number' } };
  if (attempt > maxAttempts)
    return { fail: { code: 'MAX_ATTEMPTS', message: `Gave up after ${maxAttempts} attempts` } };
  for (let i = 0; i < route.length; i++) {
    const carrierId = route[(attempt - 1 + i) % route.length]!;
    if (usable(carrierId)) return { carrierId };
  }
  return {
    none: {
      code: 'CARRIER_UNAVAILABLE',
      message: `No carrier on its route can take it now: ${route.map(describe).join('; ')}`,
    },
  };
}

export type Verdict = DeliveryError & {
  /** Not a CarrierError: a fault in the adapter, worth logging. */
  unexpected: boolean;
  /** The carrier's trouble (retryable), not the message's (a permanent refusal). */
  carrierFault: boolean;
} & ({ action: 'fail' } | { action: 'retry'; at: number });

/**
 * What a submit that threw means: a permanent refusal fails the recipient, a retryable one (or an
 * unexpected error) is tried again until the attempts run out: after the carrier's own `retryAfterMs`
 * when it gave one (a throttle), else with exponential backoff.
 */
export function judgeSubmitError(error: unknown, attempt: number, policy: RetryPolicy, now: number): Verdict {
  const carrier = error instanceof CarrierError ? error : null;
  const code = carrier?.carrierCode ?? (carrier ? 'CARRIER_ERROR' : 'SUBMIT_ERROR');
  const message = error instanceof Error ? error.message : String(error);
  const unexpected = carrier === null;
  const carrierFault = !carrier || carrier.retryable;
  if (!carrierFault || attempt >= policy.maxAttempts)
    return { action: 'fail', code, message, unexpected, carrierFault };
  const wait = carrier?.retryAfterMs ?? policy.retryBaseMs * 2 ** (attempt - 1);
  return { action: 'retry', at: now + wait, code, message, unexpected, carrierFault };
}
