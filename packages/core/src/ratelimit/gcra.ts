/**
 * GCRA, the generic cell rate algorithm: a limit of `limit` per `windowMs`, with no burst past the limit
 * at a window edge (unlike fixed windows, which allow 2×). State is one number per key, the theoretical
 * arrival time (TAT): when the bucket would be empty again at the sustained rate.
 */
export interface Rule {
  limit: number;
  windowMs: number;
}

export interface Decision {
  allowed: boolean;
  /** The TAT to store when allowed. */
  tat: number;
  /** Requests of cost 1 still allowed right now after this one. */
  remaining: number;
  /** Milliseconds until the quota is whole again. */
  resetMs: number;
  /** Milliseconds until this request would be allowed; 0 when allowed, Infinity when it never fits. */
  retryAfterMs: number;
}

export const interval = (rule: Rule) => rule.windowMs / rule.limit;

/** Whether `cost` units fit at `now` given the stored TAT (null: never used), and the outcome either way. */
export function decide(tat: number | null, now: number, cost: number, rule: Rule): Decision {
  const t = interval(rule);
  const base = tat === null || tat < now ? now : tat;
  const next = base + cost * t;
  if (cost > rule.limit)
    return {
      allowed: false,
      tat: base,
      ...describe(base, now, rule),
      retryAfterMs: Number.POSITIVE_INFINITY,
    };
  if (next - now > rule.windowMs)
    return {
      allowed: false,
      tat: base,
      ...describe(base, now, rule),
      retryAfterMs: Math.ceil(next - rule.windowMs - now),
    };
  return { allowed: true, tat: next, ...describe(next, now, rule), retryAfterMs: 0 };
}

/**
 * The TAT after a charge: a take that moves the TAT on whether or not it fits, never so far that the
 * next take of `cost` would wait more than `maxWaitMs`.
 */
export function charge(tat: number | null, now: number, cost: number, rule: Rule, maxWaitMs: number): number {
  const base = tat === null || tat < now ? now : tat;
  return Math.min(base + cost * interval(rule), chargeCeiling(now, cost, rule, maxWaitMs));
}

/** The furthest a charge moves the TAT: where the next take of `cost` waits `maxWaitMs`. */
export const chargeCeiling = (now: number, cost: number, rule: Rule, maxWaitMs: number) =>
  now + rule.windowMs + maxWaitMs - cost * interval(rule);

/**
 * What a charge that left `tat` stored decided: allowed when the TAT stays within the window, else
 * refused until `cost` more would fit.
 */
export const charged = (tat: number, now: number, cost: number, rule: Rule): Decision =>
  tat - now <= rule.windowMs ? decide(tat, now, 0, rule) : decide(tat, now, cost, rule);

/** Remaining and reset for a stored TAT. */
export function describe(tat: number, now: number, rule: Rule): { remaining: number; resetMs: number } {
  const used = Math.max(0, tat - now);
  return {
    remaining: Math.max(0, Math.floor((rule.windowMs - used) / interval(rule) + 1e-9)),
    resetMs: Math.ceil(used),
  };
}

/** The TAT after giving back `cost` units (a request that was counted and then refused elsewhere). */
export function refund(tat: number, now: number, cost: number, rule: Rule): number {
  return Math.max(now, tat - cost * interval(rule));
}
