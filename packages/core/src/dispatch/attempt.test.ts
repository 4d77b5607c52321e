import { describe, expect, it } from 'vitest';
import { CarrierError } from '../carriers/contract';
import { carrierForAttempt, judgeSubmitError } from './attempt';

describe('carrierForAttempt', () => {
  it.each([
    [['a', 'b'], 1, 'a'],
    [['a', 'b'], 2, 'b'],
    [['a', 'b'], 3, 'a'],
    [['a'], 5, 'a'],
  ])('%j, attempt %i → %s', (route, attempt, expected) => {
    expect(carrierForAttempt(route, attempt, 5)).toEqual({ carrierId: expected });
  });

  it('skips carriers that cannot take it now, in route order from the attempt’s own', () => {
    const up = (id: string) => id !== 'b';
    expect(carrierForAttempt(['a', 'b', 'c'], 2, 5, up)).toEqual({ carrierId: 'c' });
    expect(carrierForAttempt(['a', 'b', 'c'], 3, 5, up)).toEqual({ carrierId: 'c' });
    expect(carrierForAttempt(['b', 'a'], 1, 5, up)).toEqual({ carrierId: 'a' });
    expect(carrierForAttempt(['b'], 1, 5, up)).toMatchObject({ none: { code: 'CARRIER_UNAVAILABLE' } });
  });

  it('fails with NO_ROUTE for an empty route and MAX_ATTEMPTS past the limit', () => {
    expect(carrierForAttempt([], 1, 5)).toMatchObject({ fail: { code: 'NO_ROUTE' } });
    expect(carrierForAttempt(['a'], 6, 5)).toMatchObject({ fail: { code: 'MAX_ATTEMPTS' } });
  });
});

describe('judgeSubmitError', () => {
  const policy = { maxAttempts: 3, retryBaseMs: 1000 };

  it('retries a retryable refusal with doubling backoff, keeping the carrier code', () => {
    const e = new CarrierError('throttled', { retryable: true, carrierCode: '0x58' });
    expect(judgeSubmitError(e, 1, policy, 0)).toEqual({
      action: 'retry',
      at: 1000,
      code: '0x58',
      message: 'throttled',
      unexpected: false,
      carrierFault: true,
    });
    expect(judgeSubmitError(e, 2, policy, 0)).toMatchObject({ action: 'retry', at: 2000 });
    // The last attempt fails the message, still for the carrier's sake.
    expect(judgeSubmitError(e, 3, policy, 0)).toMatchObject({ action: 'fail', carrierFault: true });
    const refusal = new CarrierError('bad number', { retryable: false, carrierCode: '0x0B' });
    expect(judgeSubmitError(refusal, 1, policy, 0)).toMatchObject({ action: 'fail', carrierFault: false });
  });

  it('waits as long as a throttling carrier asks, instead of the backoff', () => {
    const e = new CarrierError('throttled', { retryable: true, carrierCode: '0x58', retryAfterMs: 250 });
    expect(judgeSubmitError(e, 3, { maxAttempts: 5, retryBaseMs: 1000 }, 10_000)).toMatchObject({
      action: 'retry',
      at: 10_250,
    });
  });

  it('fails a permanent refusal at once, and any refusal on the last attempt', () => {
    const permanent = new CarrierError('bad destination', { retryable: false });
    expect(judgeSubmitError(permanent, 1, policy, 0)).toMatchObject({
      action: 'fail',
      code: 'CARRIER_ERROR',
    });
    const retryable = new CarrierError('busy', { retryable: true });
    expect(judgeSubmitError(retryable, 3, policy, 0)).toMatchObject({ action: 'fail' });
  });

  it('retries an unexpected error and marks it for the log', () => {
    expect(judgeSubmitError(new TypeError('x is undefined'), 1, policy, 0)).toMatchObject({
      action: 'retry',
      code: 'SUBMIT_ERROR',
      message: 'x is undefined',
      unexpected: true,
    });
    expect(judgeSubmitError('a string', 1, policy, 0)).toMatchObject({ message: 'a string' });
  });
});
