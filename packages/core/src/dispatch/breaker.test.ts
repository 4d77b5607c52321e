import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_ENGINES, type SharedDatabase } from '../../test/databases';
import { manualClock } from '../../test/harness';
import type { Clock } from '../clock';
import { createStore } from '../storage/store';
import { type BreakerPolicy, createBreakers, READ_EVERY_MS } from './breaker';
import { createFleetState } from './fleet-state';

describe.each(SHARED_ENGINES)('circuit breakers of two processes on %s', (_engine, open) => {
  let shared: SharedDatabase;
  beforeAll(async () => {
    shared = await open();
  });
  afterAll(() => shared.drop());

  /** The breakers of "processes" 0 and 1. */
  const fleetOf = (clock: Clock, policy: BreakerPolicy) =>
    shared.connections.map((c) => createBreakers(clock, policy, createFleetState(createStore(c))));

  it('N failures in a row in one process open the circuit for both until the cooldown; then one of them probes', async () => {
    const clock = manualClock();
    const [a, b] = fleetOf(clock, { failures: 3, cooldownMs: 5000 });
    await a!.failed('smpp');
    await a!.failed('smpp');
    expect(a!.allows('smpp')).toBe(true);
    await a!.failed('smpp');
    expect(a!.allows('smpp')).toBe(false);
    expect(a!.allows('beem')).toBe(true);
    expect(b!.allows('smpp')).toBe(true); // it has not looked yet
    await b!.sync();
    expect(b!.allows('smpp')).toBe(false);
    expect(b!.status()).toMatchObject({ smpp: 'open' });
    clock.advance(4999);
    await Promise.all([a!.sync(), b!.sync()]);
    expect([a!.allows('smpp'), b!.allows('smpp')]).toEqual([false, false]);
    clock.advance(1);
    await Promise.all([a!.sync(), b!.sync()]);
    const probes = [a!.allows('smpp'), b!.allows('smpp')];
    expect(probes.filter(Boolean)).toHaveLength(1); // the probe, in one process
    expect([a!.allows('smpp'), b!.allows('smpp')]).toEqual([false, false]); // nothing else while it is out
    expect([a!.isOpen('smpp'), b!.isOpen('smpp')]).toEqual([true, true]);
  });

  it('a failed probe opens it for another cooldown; a good one closes it for both; an unused probe is held', async () => {
    const clock = manualClock();
    const [a, b] = fleetOf(clock, { failures: 2, cooldownMs: 2000 });
    await b!.failed('x');
    await b!.failed('x');
    clock.advance(2000);
    await b!.sync();
    await a!.sync();
    expect(b!.allows('x')).toBe(true);
    expect(a!.allows('x')).toBe(false);
    await b!.failed('x');
    expect(b!.allows('x')).toBe(false);
    clock.advance(2000);
    await a!.sync(); // a's turn to probe, b's later
    await b!.sync();
    expect(b!.allows('x')).toBe(false);
    expect(a!.allows('x')).toBe(true);
    a!.unused('x'); // put off: the probe stays a's
    expect(a!.allows('x')).toBe(true);
    await a!.succeeded('x');
    expect(a!.allows('x')).toBe(true);
    expect(a!.status()).toMatchObject({ x: 'closed' });
    clock.advance(READ_EVERY_MS);
    await b!.sync();
    expect(b!.allows('x')).toBe(true);
    expect(b!.status()).toMatchObject({ x: 'closed' });
  });

  it('while dispatching, the others’ changes are read at most every READ_EVERY_MS; a refresh reads them at once', async () => {
    const clock = manualClock();
    const [a, b] = fleetOf(clock, { failures: 1, cooldownMs: 60_000 });
    await b!.sync();
    await a!.failed('y');
    clock.advance(READ_EVERY_MS - 1);
    await b!.sync();
    expect(b!.allows('y')).toBe(true);
    await b!.refresh();
    expect(b!.allows('y')).toBe(false);
  });

  it('reading the fleet’s circuits keeps this process’s count of failures', async () => {
    const [a] = fleetOf(manualClock(), { failures: 2, cooldownMs: 500 });
    await a!.failed('w');
    await a!.refresh();
    await a!.failed('w');
    expect(a!.allows('w')).toBe(false);
  });

  it('a success between failures starts the count again', async () => {
    const [a] = fleetOf(manualClock(), { failures: 2, cooldownMs: 500 });
    await a!.failed('z');
    await a!.succeeded('z');
    await a!.failed('z');
    expect(a!.allows('z')).toBe(true);
  });
});
