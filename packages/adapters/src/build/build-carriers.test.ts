import { describe, expect, it } from 'vitest';
import { fakeCarrier } from '../fake';
import { buildCarriers, CarrierConfigError } from './build-carriers';

describe('buildCarriers', () => {
  it('makes each configured adapter from its definition', () => {
    const carriers = buildCarriers(
      [
        { id: 'dev', type: 'fake' },
        { id: 'slow', type: 'fake', deliveryDelayMs: 5, nationalLanguages: ['turkish'] } as {
          id: string;
          type: string;
        },
      ],
      [fakeCarrier],
    );
    expect(carriers.map((c) => [c.id, c.type])).toEqual([
      ['dev', 'fake'],
      ['slow', 'fake'],
    ]);
    expect(carriers[1]!.capabilities?.nationalLanguages).toEqual(['turkish']);
  });

  it('names every bad entry by carriers.N.field before making any', () => {
    const entries = [
      { id: 'x', type: 'carrier-pigeon' },
      { id: 'y', type: 'fake', failureRate: 2 },
      { id: 'z', type: 'fake', colour: 'red' },
    ] as { id: string; type: string }[];
    const error = (() => {
      try {
        buildCarriers(entries, [fakeCarrier]);
      } catch (e) {
        return e as CarrierConfigError;
      }
    })();
    expect(error).toBeInstanceOf(CarrierConfigError);
    expect(error!.problems).toEqual([
      'carriers.0.type: unknown carrier type "carrier-pigeon" (available: fake)',
      expect.stringMatching(/^carriers\.1\.failureRate: /),
      'carriers.2.colour: unknown field',
    ]);
  });
});
