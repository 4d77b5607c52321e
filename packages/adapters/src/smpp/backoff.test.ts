import { expect, it } from 'vitest';
import { Backoff } from './backoff';

it('doubles from min up to max, and starts again from min once reset', () => {
  const backoff = new Backoff(100, 500);
  expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([100, 200, 400, 500]);
  backoff.reset();
  expect(backoff.next()).toBe(100);
});
