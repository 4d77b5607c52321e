import type { Decision, Rule } from './gcra';

/**
 * Where rate-limit state lives. Every method is one atomic step, so concurrent requests (and several
 * processes sharing the store) can never take more than the limit between them.
 */
export interface RateLimitStore {
  /** Takes `cost` units from `key` when they fit; takes nothing when they do not. */
  consume(key: string, cost: number, rule: Rule, now: number): Promise<Decision>;
  /** What `consume` would decide, taking nothing. */
  peek(key: string, cost: number, rule: Rule, now: number): Promise<Decision>;
  /** Gives back `cost` units taken for a request that was then refused for another reason. */
  refund(key: string, cost: number, rule: Rule, now: number): Promise<void>;
  /** Forgets keys whose quota is whole again; returns how many. */
  prune(now: number): Promise<number>;
}
