import { charge, charged, decide, refund } from './gcra';
import type { RateLimitStore } from './store';

/** State in this process's memory: fastest, for a single process only (opt-in with `limits.store: "memory"`). */
export function memoryRateLimitStore(): RateLimitStore {
  const tats = new Map<string, number>();
  return {
    async consume(key, cost, rule, now) {
      const d = decide(tats.get(key) ?? null, now, cost, rule);
      if (d.allowed) tats.set(key, d.tat);
      return d;
    },
    async charge(key, cost, rule, maxWaitMs, now) {
      if (cost > rule.limit) return decide(tats.get(key) ?? null, now, cost, rule);
      const tat = charge(tats.get(key) ?? null, now, cost, rule, maxWaitMs);
      tats.set(key, tat);
      return charged(tat, now, cost, rule);
    },
    async peek(key, cost, rule, now) {
      return decide(tats.get(key) ?? null, now, cost, rule);
    },
    async refund(key, cost, rule, now) {
      const tat = tats.get(key);
      if (tat !== undefined) tats.set(key, refund(tat, now, cost, rule));
    },
    async prune(now) {
      let n = 0;
      for (const [key, tat] of tats)
        if (tat <= now) {
          tats.delete(key);
          n++;
        }
      return n;
    },
  };
}
