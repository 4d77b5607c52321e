import { describe, expect, it } from 'vitest';
import { SubmitPacing } from './pacing';

describe('SubmitPacing', () => {
  it('without a rate, lets every submit go at once', () => {
    const pacing = new SubmitPacing(undefined, 100);
    for (let i = 0; i < 5; i++) {
      expect(pacing.waitAt(1000)).toBeLessThanOrEqual(0);
      pacing.sent(1000);
    }
  });

  it('spaces submits by 1/rate seconds, and does not bank the time a bind was idle', () => {
    const pacing = new SubmitPacing(4, 100);
    pacing.sent(1000);
    expect(pacing.waitAt(1000)).toBe(250);
    pacing.sent(1250);
    expect(pacing.waitAt(1250)).toBe(250);
    // Idle for a while: the next one may go at once, and the one after waits its 250 ms again.
    expect(pacing.waitAt(9000)).toBeLessThanOrEqual(0);
    pacing.sent(9000);
    expect(pacing.waitAt(9000)).toBe(250);
  });

  it('pauses after throttling, twice as long each time in a row up to 16×, and briefly again after an acceptance', () => {
    const pacing = new SubmitPacing(undefined, 100);
    const pauses = [0, 1, 2, 3, 4, 5].map(() => {
      pacing.throttled(0);
      return pacing.waitAt(0);
    });
    expect(pauses).toEqual([100, 200, 400, 800, 1600, 1600]);
    pacing.accepted();
    pacing.throttled(5000);
    expect(pacing.waitAt(5000)).toBe(100);
  });
});
