import { CarrierError } from '../carriers/contract';
import type { DeliveryError } from './transitions';

export interface RetryPolicy {
  maxAttempts: number;
  /** The first retry waits this long; each later one twice as long as the one before. */
  retryBaseMs: number;
}

/**
 * The carrier for the `attempt`-th try (1-based) of a recipient: the route's carriers in turn, so a
 * retry fails over to the next one. Or why there is none.
 */
export function carrierForAttempt(
  route: readonly string[],
  attempt: number,
  maxAttempts: number,
): { carrierId: string } | { fail: DeliveryError } {
  const carrierId = route[(attempt - 1) % route.length];
  if (carrierId === undefined)
    return { fail: { code: 'NO_ROUTE', message: 'No carrier route for this number' } };
  if (attempt > maxAttempts)
    return { fail: { code: 'MAX_ATTEMPTS', message: `Gave up after ${maxAttempts} attempts` } };
  return { carrierId };
}

export type Verdict = DeliveryError & {
  /** Not a CarrierError: a fault in the adapter, worth logging. */
  unexpected: boolean;
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
  if ((carrier && !carrier.retryable) || attempt >= policy.maxAttempts)
    return { action: 'fail', code, message, unexpected };
  const wait = carrier?.retryAfterMs ?? policy.retryBaseMs * 2 ** (attempt - 1);
  return { action: 'retry', at: now + wait, code, message, unexpected };
}
