import { describe, expect, it } from 'vitest';
import type { RateLimitStore } from '../ratelimit/store';

/**
 * The behaviour every RateLimitStore must have: exact under concurrency, no burst past the limit,
 * whole refusals, refunds, roll-over and pruning. Each store's test calls this with a factory that
 * returns a fresh, empty store.
 */
export function runRateLimitStoreConformance(
  name: string,
  makeStore: () => Promise<RateLimitStore> | RateLimitStore,
) {
  const rule = { limit: 100, windowMs: 60_000 };
  const t0 = Date.UTC(2026, 0, 1);

  describe(`RateLimitStore conformance: ${name}`, () => {
    it('500 concurrent consumes against a limit of 100: exactly 100 pass', async () => {
      const store = await makeStore();
      const results = await Promise.all(Array.from({ length: 500 }, () => store.consume('k', 1, rule, t0)));
      expect(results.filter((r) => r.allowed)).toHaveLength(100);
      expect(Math.min(...results.map((r) => r.remaining))).toBe(0);
    });

    it('reports remaining and reset, and retry-after when refused', async () => {
      const store = await makeStore();
      expect(await store.consume('k', 1, rule, t0)).toMatchObject({
        allowed: true,
        remaining: 99,
        resetMs: 600,
      });
      expect(await store.consume('k', 98, rule, t0)).toMatchObject({ allowed: true, remaining: 1 });
      expect(await store.consume('k', 2, rule, t0)).toMatchObject({
        allowed: false,
        remaining: 1,
        retryAfterMs: 600,
      });
      expect(await store.peek('k', 1, rule, t0)).toMatchObject({ allowed: true, remaining: 0 }); // as if taken
      expect(await store.consume('k', 1, rule, t0)).toMatchObject({
        allowed: true,
        remaining: 0,
        resetMs: 60_000,
      });
    });

    it('refuses a request bigger than what is left, whole, and one bigger than the limit, forever', async () => {
      const store = await makeStore();
      await store.consume('k', 60, rule, t0);
      expect(await store.consume('k', 50, rule, t0)).toMatchObject({ allowed: false, remaining: 40 });
      expect(await store.consume('k', 40, rule, t0)).toMatchObject({ allowed: true, remaining: 0 });
      expect((await store.consume('other', 101, rule, t0)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
    });

    it('rolls over: one more per interval, whole again after the window, never 2× at the edge', async () => {
      const store = await makeStore();
      for (let i = 0; i < 100; i++) await store.consume('k', 1, rule, t0);
      expect((await store.consume('k', 1, rule, t0 + 599)).allowed).toBe(false);
      expect((await store.consume('k', 1, rule, t0 + 600)).allowed).toBe(true);
      expect((await store.consume('k', 1, rule, t0 + 600)).allowed).toBe(false);
      expect(await store.consume('k', 100, rule, t0 + 60_600)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it('charges a take past the limit all the same, so the wait grows with each one, up to the bound', async () => {
      const store = await makeStore();
      const few = { limit: 3, windowMs: 60_000 }; // one more every 20 s
      const hour = 3_600_000;
      for (let i = 0; i < 3; i++) expect((await store.charge('k', 1, few, hour, t0)).allowed).toBe(true);
      expect(await store.charge('k', 1, few, hour, t0)).toMatchObject({
        allowed: false,
        retryAfterMs: 40_000,
      });
      expect(await store.charge('k', 1, few, hour, t0)).toMatchObject({
        allowed: false,
        retryAfterMs: 60_000,
      });
      expect(await store.peek('k', 1, few, t0 + 59_999)).toMatchObject({ allowed: false, retryAfterMs: 1 });
      const many = await Promise.all(Array.from({ length: 300 }, () => store.charge('k', 1, few, hour, t0)));
      expect(many.every((d) => !d.allowed)).toBe(true);
      expect(await store.charge('k', 1, few, hour, t0)).toMatchObject({ allowed: false, retryAfterMs: hour });
      expect((await store.charge('k', 1, few, hour, t0 + hour - 1)).allowed).toBe(false); // and on again
      expect((await store.charge('k', 1, few, hour, t0 + 2 * hour - 1)).allowed).toBe(true);
      // Allowed takes are plain takes; a take bigger than the limit is refused and charges nothing.
      expect(await store.charge('fresh', 1, few, hour, t0)).toMatchObject({ allowed: true, remaining: 2 });
      expect((await store.charge('fresh', 4, few, hour, t0)).retryAfterMs).toBe(Number.POSITIVE_INFINITY);
      expect((await store.peek('fresh', 2, few, t0)).allowed).toBe(true);
    });

    it('keeps keys apart', async () => {
      const store = await makeStore();
      await store.consume('a', 100, rule, t0);
      expect((await store.consume('a', 1, rule, t0)).allowed).toBe(false);
      expect((await store.consume('b', 1, rule, t0)).allowed).toBe(true);
    });

    it('gives refunded units back, never beyond whole', async () => {
      const store = await makeStore();
      await store.consume('k', 100, rule, t0);
      await store.refund('k', 30, rule, t0);
      expect(await store.peek('k', 30, rule, t0)).toMatchObject({ allowed: true, remaining: 0 });
      expect((await store.peek('k', 31, rule, t0)).allowed).toBe(false);
      await store.refund('k', 500, rule, t0);
      expect((await store.peek('k', 100, rule, t0)).allowed).toBe(true);
      await store.refund('never-used', 5, rule, t0);
      expect((await store.peek('never-used', 100, rule, t0)).allowed).toBe(true);
    });

    it('prunes keys whose quota is whole again, and only those', async () => {
      const store = await makeStore();
      await store.consume('old', 1, rule, t0);
      await store.consume('new', 1, rule, t0 + 10_000);
      expect(await store.prune(t0 + 5_000)).toBe(1);
      expect((await store.peek('new', 100, rule, t0 + 10_000)).allowed).toBe(false);
    });
  });
}
