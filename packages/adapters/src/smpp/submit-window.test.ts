import { getEventListeners } from 'node:events';
import { CarrierError } from '@mifumo/core';
import { describe, expect, it } from 'vitest';
import { blankShortMessage } from './pdu';
import { SubmitWindow } from './submit-window';

/** A window and the outcome of each submit added to it, by name. */
function setup(size: number) {
  let aborts = 0;
  const window = new SubmitWindow(size, () => aborts++);
  const outcomes: Record<string, string> = {};
  const add = (name: string, signal = new AbortController().signal) =>
    window.add(
      { ...blankShortMessage(), destination_addr: name },
      signal,
      (id) => {
        outcomes[name] = `ok ${id}`;
      },
      (e) => {
        outcomes[name] = `${e.carrierCode}`;
      },
    );
  const sendNext = (sequence: number) => {
    const entry = window.takeNext()!;
    window.sent(entry, sequence, 1000 + sequence);
    return entry.sm.destination_addr;
  };
  return { window, outcomes, add, sendNext, aborts: () => aborts };
}

describe('SubmitWindow', () => {
  it('sends in order while there is room, and makes room as answers come', () => {
    const { window, outcomes, add, sendNext } = setup(2);
    for (const name of ['a', 'b', 'c']) add(name);
    expect(window.load).toBe(3);
    expect([sendNext(1), sendNext(2)]).toEqual(['a', 'b']);
    expect(window.canSend).toBe(false);
    expect(window.oldestSentAt()).toBe(1001);
    const b = window.answered(2)!;
    window.resolve(b, 'id-b');
    expect(window.answered(2)).toBeUndefined();
    expect(window.canSend).toBe(true);
    expect(sendNext(3)).toBe('c');
    expect(outcomes).toEqual({ b: 'ok id-b' });
    expect(window.load).toBe(2);
  });

  it('after a drop, what was in flight goes out again first, in the order sent', () => {
    const { window, add, sendNext } = setup(3);
    for (const name of ['a', 'b', 'c', 'd']) add(name);
    sendNext(1);
    sendNext(2);
    sendNext(3);
    window.resolve(window.answered(2)!, 'id');
    expect(window.requeueInflight()).toBe(2);
    expect(window.oldestSentAt()).toBeUndefined();
    expect([sendNext(4), sendNext(5), sendNext(6)]).toEqual(['a', 'c', 'd']);
  });

  it('a throttled submit goes again first in line; each submit settles once', () => {
    const { window, outcomes, add, sendNext } = setup(1);
    add('a');
    add('b');
    sendNext(1);
    const a = window.answered(1)!;
    window.retryFirst(a);
    expect(sendNext(2)).toBe('a');
    window.resolve(window.answered(2)!, 'first');
    window.resolve(a, 'second');
    window.reject(a, new CarrierError('late', { retryable: true, carrierCode: 'LATE' }));
    expect(outcomes).toEqual({ a: 'ok first' });
  });

  it('a signal giving up fails its submits wherever they are, with one listener per signal, gone once they settle', () => {
    const { window, outcomes, add, sendNext, aborts } = setup(1);
    const shared = new AbortController();
    add('a', shared.signal);
    add('b', shared.signal);
    add('c');
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    sendNext(1);
    shared.abort();
    expect(outcomes).toEqual({ a: 'TIMEOUT', b: 'TIMEOUT' });
    expect(aborts()).toBe(1);
    expect(window.answered(1)).toBeUndefined();
    expect(sendNext(2)).toBe('c');

    const kept = new AbortController();
    add('d', kept.signal);
    add('e', kept.signal);
    window.resolve(window.answered(2)!, 'x');
    sendNext(3);
    window.resolve(window.answered(3)!, 'y');
    sendNext(4);
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(1);
    window.resolve(window.answered(4)!, 'z');
    expect(getEventListeners(kept.signal, 'abort')).toHaveLength(0);
  });

  it('failAll fails what waits and what is in flight, and leaves it empty', () => {
    const { window, outcomes, add, sendNext } = setup(1);
    add('a');
    add('b');
    sendNext(1);
    window.failAll(new CarrierError('stopped', { retryable: true, carrierCode: 'STOPPED' }));
    expect(outcomes).toEqual({ a: 'STOPPED', b: 'STOPPED' });
    expect(window.load).toBe(0);
    expect(window.takeNext()).toBeUndefined();
  });
});
