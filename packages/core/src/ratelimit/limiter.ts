import type { CompiledQuery, QueryResult } from 'kysely';
import type { Clock } from '../clock';
import { GatewayError } from '../errors';
import type { AccountLimits } from './account-limits';
import { type Decision, decide, type Rule } from './gcra';
import type { RateLimitStore } from './store';

const KINDS = {
  sms: { name: 'sms_per_minute', windowMs: 60_000 },
  api: { name: 'api_calls_per_hour', windowMs: 3_600_000 },
  contacts: { name: 'contact_ops_per_hour', windowMs: 3_600_000 },
  authFailures: { name: 'auth_failures_per_minute', windowMs: 60_000 },
} as const;
type Kind = keyof typeof KINDS;

/** What one limit looks like after a request took from it: what the RateLimit-* headers report. */
export interface Usage {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/**
 * A take that commits with another write (`inBatch`): its statements go first in that write's atomic
 * batch. After the batch, exactly one of `committed` (with the batch's results) or `failed` is called.
 */
export interface BatchTake {
  statements: CompiledQuery[];
  committed(results: readonly QueryResult<unknown>[]): void;
  /**
   * The batch failed with `error`: the refusal when this limit refused it (else null; with `last`, the
   * refusal whenever a limit refused it, so a batch refused by some limit is always answered 429).
   */
  failed(error: unknown, last: boolean): Promise<GatewayError | null>;
}

/** Collects the limits a request touched and reports the tightest one (fewest remaining). */
export type UsageSink = (usage: Usage) => void;

const seconds = (ms: number) => Math.ceil(ms / 1000);

/** The longest an address is locked out for failed authentication, however many more it tries. */
const MAX_AUTH_LOCKOUT_MS = 3_600_000;

function refused(kind: Kind, rule: Rule, d: Decision, cost: number): GatewayError {
  const { name, windowMs } = KINDS[kind];
  const never = !Number.isFinite(d.retryAfterMs);
  const retry = never ? seconds(windowMs) : Math.max(1, seconds(d.retryAfterMs));
  return new GatewayError(
    'RATE_LIMIT_EXCEEDED',
    never
      ? `This request alone (${cost}) is more than the limit of ${rule.limit} per ${seconds(windowMs)} s; split it`
      : `Too many requests: ${name.replaceAll('_', ' ')} is ${rule.limit}`,
    {
      limit: name,
      max: rule.limit,
      window_seconds: seconds(windowMs),
      requested: cost,
      remaining: d.remaining,
      retry_after_seconds: never ? null : retry,
    },
    {
      'Retry-After': String(retry),
      'RateLimit-Limit': String(rule.limit),
      'RateLimit-Remaining': String(d.remaining),
      'RateLimit-Reset': String(seconds(d.resetMs)),
    },
  );
}

/**
 * The seed's three limits per account (SMS per minute counts recipients; API calls per hour count every
 * authenticated request; contact operations per hour count contact and segment calls) and the throttle
 * on failed authentication per client address. A refused request takes nothing, except a failed
 * authentication, which extends its address's lockout.
 */
export function createLimiter(deps: { store: RateLimitStore; clock: Clock; authFailuresPerMinute: number }) {
  const { store, clock } = deps;

  async function take(kind: Kind, key: string, cost: number, limit: number, sink?: UsageSink) {
    const rule = { limit, windowMs: KINDS[kind].windowMs };
    const d = await store.consume(`${kind}:${key}`, cost, rule, clock.now());
    if (!d.allowed) throw refused(kind, rule, d, cost);
    sink?.({ limit, remaining: d.remaining, resetSeconds: seconds(d.resetMs) });
  }

  /**
   * `take`, to commit with a write: on a store with `batchTake` a statement that fails the batch when
   * the units do not fit; on others (memory) taken now and given back if the batch fails.
   */
  async function inBatch(
    kind: Kind,
    key: string,
    cost: number,
    limit: number,
    sink?: UsageSink,
  ): Promise<BatchTake> {
    const rule = { limit, windowMs: KINDS[kind].windowMs };
    const now = clock.now();
    const guarded = cost <= limit ? store.batchTake?.(`${kind}:${key}`, cost, rule, now) : undefined;
    if (!guarded) {
      await take(kind, key, cost, limit, sink);
      return {
        statements: [],
        committed() {},
        async failed() {
          await store.refund(`${kind}:${key}`, cost, rule, clock.now());
          return null;
        },
      };
    }
    return {
      statements: [guarded.statement],
      committed([result]) {
        const tat = Number((result!.rows[0] as { tat: number }).tat);
        const d = decide(tat, now, 0, rule);
        sink?.({ limit, remaining: d.remaining, resetSeconds: seconds(d.resetMs) });
      },
      async failed(error, last) {
        if (!guarded.refusedBy(error)) return null;
        const d = await store.peek(`${kind}:${key}`, cost, rule, clock.now());
        if (d.allowed && !last) return null; // another limit in the same batch refused it
        // Allowed again already (time passed since the batch): still refused, retry at once.
        return refused(kind, rule, d.allowed ? { ...d, retryAfterMs: 1 } : d, cost);
      },
    };
  }

  const authRule = { limit: deps.authFailuresPerMinute, windowMs: KINDS.authFailures.windowMs };

  return {
    apiCall: (accountId: string, limits: AccountLimits, sink?: UsageSink) =>
      take('api', accountId, 1, limits.apiCallsPerHour, sink),

    contactOp: (accountId: string, limits: AccountLimits, sink?: UsageSink) =>
      take('contacts', accountId, 1, limits.contactOpsPerHour, sink),

    /** `apiCall` committed with the request's own write (`inBatch`). */
    apiCallInBatch: (accountId: string, limits: AccountLimits, sink?: UsageSink) =>
      inBatch('api', accountId, 1, limits.apiCallsPerHour, sink),

    /** One SMS per recipient, all or none, committed with the send that stores them (`inBatch`). */
    smsInBatch: (accountId: string, limits: AccountLimits, recipients: number, sink?: UsageSink) =>
      inBatch('sms', accountId, recipients, limits.smsPerMinute, sink),

    /**
     * Counts a failed authentication from `address` in one atomic step. Past the limit the address is
     * locked out: its failures are answered 429 instead of 401, and each one extends the lockout by one
     * interval (60 s / the limit), up to MAX_AUTH_LOCKOUT_MS. A valid key never comes here, so the
     * lockout cannot keep it out.
     */
    async authFailure(address: string) {
      const d = await store.charge(`authFailures:${address}`, 1, authRule, MAX_AUTH_LOCKOUT_MS, clock.now());
      if (!d.allowed) throw refused('authFailures', authRule, d, 1);
    },

    prune: () => store.prune(clock.now()),
  };
}

export type Limiter = ReturnType<typeof createLimiter>;
