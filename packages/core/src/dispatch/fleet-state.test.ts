import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_ENGINES, type SharedDatabase } from '../../test/databases';
import { createStore } from '../storage/store';
import { createFleetState, type FleetState } from './fleet-state';

describe.each(SHARED_ENGINES)('the fleet state of carriers on %s, from two connections', (_engine, open) => {
  let shared: SharedDatabase;
  let a: FleetState;
  let b: FleetState;
  beforeAll(async () => {
    shared = await open();
    [a, b] = shared.connections.map((c) => createFleetState(createStore(c))) as [FleetState, FleetState];
  });
  afterAll(() => shared.drop());

  it('claims stretches of a carrier’s timeline one after another whoever claims, never past `latest`', async () => {
    expect(await a.claim('pace', 1000, 300, 2000)).toEqual({ start: 1000, end: 1300 });
    expect(await b.claim('pace', 1000, 300, 2000)).toEqual({ start: 1300, end: 1600 });
    expect(await a.claim('pace', 1100, 600, 2000)).toEqual({ start: 1600, end: 2000 });
    expect(await b.claim('pace', 1100, 100, 2000)).toEqual({ start: 2000, end: 2000 });
    // Idle since: the next claim starts at its own `earliest`.
    expect(await b.claim('pace', 5000, 100, 6000)).toEqual({ start: 5000, end: 5100 });
    expect(await a.claim('other', 1000, 100, 2000)).toEqual({ start: 1000, end: 1100 });
  });

  it('claims made at once from both connections take stretches that never overlap and leave no gap', async () => {
    const stretches = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).claim('busy', 0, 10, 1e9)),
    );
    stretches.sort((x, y) => x.start - y.start);
    expect(stretches.map((s) => [s.start, s.end])).toEqual(
      Array.from({ length: 40 }, (_, i) => [i * 10, i * 10 + 10]),
    );
  });

  it('a circuit opened from one connection is open for the other; one of them gets its probe; a close holds only for the opening it saw', async () => {
    await a.openCircuit('smsc', 5000);
    await b.openCircuit('smsc', 4000); // opened longer already: stays so
    expect(await b.openCircuits()).toEqual(new Map([['smsc', 5000]]));
    expect(await b.claim('smsc', 1000, 100, 2000)).toEqual({ start: 1000, end: 1100 }); // pacing is apart
    expect(await a.claimProbe('smsc', 4999, 9999)).toBe(false); // not cooled down
    const probes = await Promise.all([a.claimProbe('smsc', 5000, 8000), b.claimProbe('smsc', 5000, 8000)]);
    expect(probes.filter(Boolean)).toHaveLength(1);
    expect(await a.openCircuits()).toEqual(new Map([['smsc', 8000]]));
    await b.closeCircuit('smsc', 5000); // an opening since replaced
    expect(await a.openCircuits()).toEqual(new Map([['smsc', 8000]]));
    await b.closeCircuit('smsc', 8000);
    expect(await a.openCircuits()).toEqual(new Map());
    expect(await a.claimProbe('smsc', 9000, 12000)).toBe(false); // closed: nothing to probe
  });
});
