import { expect, it } from 'vitest';
import { until } from '../testing/http-server';
import { keepAlive } from './keepalive';

it('enquires on its interval, calls the link dead once the oldest submit waits past the timeout, and stops', async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  let enquiries = 0;
  let dead = 0;
  let oldest: number | undefined;
  const stop = keepAlive({
    enquireLinkMs: 10,
    responseTimeoutMs: 40,
    enquireLink: () => enquiries++,
    oldestSentAt: () => oldest,
    dead: () => dead++,
  });
  await until(() => enquiries >= 3);
  expect(dead).toBe(0); // nothing in flight
  oldest = Date.now();
  await until(() => dead > 0);
  expect(Date.now() - oldest).toBeGreaterThan(40);
  stop();
  expect(timers()).toBeLessThanOrEqual(before);
});
