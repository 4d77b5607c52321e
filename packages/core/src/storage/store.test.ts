import { expect, it } from 'vitest';
import { chunkRows } from './store';

it('chunks rows by bound parameters', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ a: i, b: i, c: i }));
  expect(chunkRows(rows, 9).map((c) => c.length)).toEqual([3, 3, 3, 1]);
  expect(chunkRows(rows, 1000)).toHaveLength(1);
  expect(chunkRows([], 10)).toEqual([]);
});
