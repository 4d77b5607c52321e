import type { CompiledQuery } from 'kysely';
import type { Decision, Rule } from './gcra';

/**
 * Where rate-limit state lives. Every method is one atomic step, so concurrent requests (and several
 * processes sharing the store) can never take more than the limit between them.
 */
export interface RateLimitStore {
  /** Takes `cost` units from `key` when they fit; takes nothing when they do not. */
  consume(key: string, cost: number, rule: Rule, now: number): Promise<Decision>;
  /**
   * `consume`, except that units that do not fit are taken all the same, so each refused take pushes
   * the time the next one fits further out (a wait that grows), by at most `maxWaitMs` from `now`
   * (which must be more than `cost` units' interval). A take bigger than the limit is refused untaken.
   */
  charge(key: string, cost: number, rule: Rule, maxWaitMs: number, now: number): Promise<Decision>;
  /** What `consume` would decide, taking nothing. */
  peek(key: string, cost: number, rule: Rule, now: number): Promise<Decision>;
  /** Gives back `cost` units taken for a request that was then refused for another reason. */
  refund(key: string, cost: number, rule: Rule, now: number): Promise<void>;
  /**
   * A take as a statement to run first in another write's atomic batch (a send's), so the take and the
   * write commit together or not at all: it returns the new `tat` when the units fit and fails the
   * batch when they do not (`refusedBy` recognises that failure). Stores without it take before the
   * write and give back when it fails.
   */
  batchTake?(
    key: string,
    cost: number,
    rule: Rule,
    now: number,
  ): { statement: CompiledQuery; refusedBy(error: unknown): boolean };
  /** Forgets keys whose quota is whole again; returns how many. */
  prune(now: number): Promise<number>;
}
