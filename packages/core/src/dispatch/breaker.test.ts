import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/harness';
import { createBreakers } from './breaker';

describe('createBreakers', () => {
  it('opens after N failures in a row, skips the carrier for the cooldown, then lets one probe through', () => {
    const clock = manualClock();
    const b = createBreakers(clock, { failures: 3, cooldownMs: 1000 });
    b.failed('smpp');
    b.failed('smpp');
    expect(b.allows('smpp')).toBe(true);
    b.failed('smpp');
    expect(b.allows('smpp')).toBe(false);
    expect(b.allows('beem')).toBe(true);
    expect(b.status()).toEqual({ smpp: 'open', beem: 'closed' });
    clock.advance(999);
    expect(b.allows('smpp')).toBe(false);
    clock.advance(1);
    expect(b.allows('smpp')).toBe(true); // the probe
    expect(b.allows('smpp')).toBe(false); // nothing else while it is out
  });

  it('a failed probe opens it for another cooldown; a good one closes it', () => {
    const clock = manualClock();
    const b = createBreakers(clock, { failures: 2, cooldownMs: 500 });
    b.failed('x');
    b.failed('x');
    clock.advance(500);
    expect(b.allows('x')).toBe(true);
    b.failed('x');
    expect(b.allows('x')).toBe(false);
    clock.advance(500);
    expect(b.allows('x')).toBe(true);
    b.succeeded('x');
    expect(b.allows('x')).toBe(true);
    expect(b.allows('x')).toBe(true);
    expect(b.status()).toEqual({ x: 'closed' });
  });

  it('a success between failures starts the count again', () => {
    const b = createBreakers(manualClock(), { failures: 2, cooldownMs: 500 });
    b.failed('x');
    b.succeeded('x');
    b.failed('x');
    expect(b.allows('x')).toBe(true);
  });
});
