import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff';

const settings = { retryBaseMs: 1000, maxRetryDelayMs: 60_000 };

describe('retryDelay', () => {
  it('doubles from the base, between half and all of it', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, settings, 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, settings, 0))).toEqual([500, 1000, 2000, 4000]);
  });

  it('stops growing at the cap, even after very many attempts', () => {
    expect(retryDelay(7, settings, 0.999999)).toBe(60_000);
    expect(retryDelay(10_000, settings, 0.5)).toBe(45_000);
  });
});
