import { expect, it } from 'vitest';
import { createPacer } from './pacer';

it('spaces submits by 1/rate, defers past the longest wait, and leaves unpaced carriers alone', () => {
  const pacer = createPacer(new Map([['smpp', 10]]), 250);
  const waits = Array.from({ length: 5 }, () => pacer.reserve('smpp', 1000));
  expect(waits).toEqual([
    { waitMs: 0 },
    { waitMs: 100 },
    { waitMs: 200 },
    { deferUntil: 1300 },
    { deferUntil: 1300 },
  ]);
  expect(pacer.reserve('smpp', 1300)).toEqual({ waitMs: 0 });
  expect(pacer.reserve('smpp', 5000)).toEqual({ waitMs: 0 });
  expect(pacer.reserve('http', 1000)).toEqual({ waitMs: 0 });
});
