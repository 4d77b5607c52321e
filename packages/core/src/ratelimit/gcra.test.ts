import { expect, describe as group, it } from 'vitest';
import { decide, refund } from './gcra';

const rule = { limit: 100, windowMs: 60_000 };

function run(costs: number[], times: number[]) {
  let tat: number | null = null;
  return costs.map((cost, i) => {
    const d = decide(tat, times[i]!, cost, rule);
    if (d.allowed) tat = d.tat;
    return d;
  });
}

group('GCRA', () => {
  it('allows exactly the limit at once, then one more per interval', () => {
    const results = run(Array(101).fill(1), Array(101).fill(0));
    expect(results.filter((r) => r.allowed)).toHaveLength(100);
    expect(results[99]).toMatchObject({ remaining: 0, resetMs: 60_000 });
    expect(results[100]).toMatchObject({ allowed: false, retryAfterMs: 600 });
    let tat = results[99]!.tat;
    expect(decide(tat, 599, 1, rule).allowed).toBe(false);
    const d = decide(tat, 600, 1, rule);
    expect(d.allowed).toBe(true);
    tat = d.tat;
    expect(decide(tat, 600, 1, rule).allowed).toBe(false);
  });

  it('never lets 2× the limit through around a window edge', () => {
    let tat: number | null = null;
    let allowed = 0;
    for (let t = 59_000; t <= 61_000; t += 10)
      for (let k = 0; k < 5; k++) {
        const d = decide(tat, t, 1, rule);
        if (d.allowed) {
          tat = d.tat;
          allowed++;
        }
      }
    expect(allowed).toBeLessThanOrEqual(100 + Math.ceil(2_000 / 600));
  });

  it('refuses a request whole when it does not fit, and forever when it exceeds the limit', () => {
    const first = decide(null, 0, 60, rule);
    expect(first).toMatchObject({ allowed: true, remaining: 40 });
    const second = decide(first.tat, 0, 50, rule);
    expect(second).toMatchObject({ allowed: false, remaining: 40, retryAfterMs: 6_000 });
    expect(decide(null, 0, 101, rule)).toMatchObject({
      allowed: false,
      retryAfterMs: Number.POSITIVE_INFINITY,
    });
  });

  it('is whole again after the window', () => {
    const d = run(Array(100).fill(1), Array(100).fill(0)).at(-1)!;
    expect(decide(d.tat, 60_000, 100, rule).allowed).toBe(true);
  });

  it('gives back refunded units, never more than whole', () => {
    const d = decide(null, 0, 30, rule);
    expect(refund(d.tat, 0, 30, rule)).toBe(0);
    expect(refund(d.tat, 0, 500, rule)).toBe(0);
    expect(refund(d.tat, 5_000, 10, rule)).toBe(12_000);
  });
});
