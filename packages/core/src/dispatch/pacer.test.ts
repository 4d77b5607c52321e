import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_ENGINES, type SharedDatabase } from '../../test/databases';
import { manualClock } from '../../test/harness';
import type { Clock } from '../clock';
import { createStore } from '../storage/store';
import { createFleetState } from './fleet-state';
import { createPacer, type Turn } from './pacer';

const T = Date.UTC(2026, 0, 1, 8); // a multiple of every interval here

describe.each(SHARED_ENGINES)('pacing shared by two processes on %s', (_engine, open) => {
  let shared: SharedDatabase;
  beforeAll(async () => {
    shared = await open();
  });
  afterAll(() => shared.drop());

  /** A pacer in "process" `i` (0 or 1), 10 submits a second to `smsc`, counting its statements. */
  function processOn(i: 0 | 1, clock: Clock, carrier: string) {
    const fleet = createFleetState(createStore(shared.connections[i]));
    let statements = 0;
    const pacer = createPacer({
      rates: new Map([[carrier, 10]]),
      maxWaitMs: 250,
      clock,
      claim: (...args) => {
        statements++;
        return fleet.claim(...args);
      },
    });
    return {
      turns: (n: number) => Promise.all(Array.from({ length: n }, () => pacer.turn(carrier))),
      pacer,
      statements: () => statements,
    };
  }
  const deferrals = (turns: Turn[]) =>
    turns.flatMap((t) => (t === 'now' ? [] : [t.deferUntil - T])).sort((x, y) => x - y);

  it('the two take the slots within the longest wait between them, one statement a batch; the rest are put back one interval apart', async () => {
    const clock = manualClock(T);
    const a = processOn(0, clock, 'smsc');
    const b = processOn(1, clock, 'smsc');
    // Slots at T, T+100 and T+200 are within 250 ms: three submits go, whoever asked first.
    const [fromA, fromB] = await Promise.all([a.turns(4), b.turns(4)]);
    expect([...fromA, ...fromB].filter((t) => t === 'now')).toHaveLength(3);
    expect(a.statements() + b.statements()).toBe(2);
    // Each is put back until its slot (from T+300 on, one interval apart in its process) is within reach.
    const [first, second] = fromA.includes('now') ? [fromA, fromB] : [fromB, fromA];
    expect(deferrals(first)).toEqual([50]);
    expect(deferrals(second)).toEqual([50, 150, 250, 350]);
    // Asked again at once: the timeline is taken beyond reach, so no statement, and put back after the last.
    const again = fromA.includes('now') ? a : b;
    expect(deferrals(await again.turns(2))).toEqual([150, 250]);
    expect(a.statements() + b.statements()).toBe(2);
    // A second later the slots from T+1000 are free again.
    clock.advance(1000);
    expect(await b.turns(1)).toEqual(['now']);
  });

  it('a submit that goes out as several (a long message’s parts) takes as many slots in a row', async () => {
    const a = processOn(0, manualClock(T), 'parts');
    // Three slots within reach: the first two parts-submits fit (2 + 1), the last (2) waits after them.
    const turns = await Promise.all([
      a.pacer.turn('parts', 2),
      a.pacer.turn('parts', 1),
      a.pacer.turn('parts', 2),
    ]);
    expect(turns.slice(0, 2)).toEqual(['now', 'now']);
    expect(deferrals(turns)).toEqual([50]);
    // More parts than ever fit within reach take all there are, rather than waiting for ever.
    const b = processOn(1, manualClock(T + 60_000), 'parts');
    expect(await b.pacer.turn('parts', 7)).toBe('now');
  });

  it('a carrier without a rate goes at once, with no statement', async () => {
    const a = processOn(0, manualClock(T), 'smsc');
    expect(await a.pacer.turn('http')).toBe('now');
    expect(a.statements()).toBe(0);
  });

  it('a slot reached late (the process was stalled past it) is given up: put back to go at once', async () => {
    const clock = manualClock(T + 10_000);
    const fleet = createFleetState(createStore(shared.connections[0]));
    const pacer = createPacer({
      rates: new Map([['late', 10]]),
      maxWaitMs: 250,
      clock,
      claim: async (...args) => {
        const stretch = await fleet.claim(...args);
        clock.advance(500); // stalled between the claim and the slot
        return stretch;
      },
    });
    expect(await pacer.turn('late')).toEqual({ deferUntil: T + 10_500 });
  });
});
