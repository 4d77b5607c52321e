import { expect, it } from 'vitest';
import { createReassembly } from './reassembly';

const key = { from: '+255754000111', to: '15577', reference: 7, total: 3 };

it('joins parts in order once all are in, exactly once, whatever order and repeats they come in', () => {
  const r = createReassembly(60_000);
  expect(r.add(key, 3, 'C')).toBeNull();
  expect(r.add(key, 1, 'A')).toBeNull();
  expect(r.add(key, 1, 'A')).toBeNull();
  expect(r.add(key, 2, 'B')).toBe('ABC');
  expect(r.add(key, 2, 'B')).toBeNull();
  expect(r.add({ ...key, from: '+255754000222' }, 1, 'x')).toBeNull();
});

it('drops a message that never completes after keepMs, and refuses impossible sequence numbers', () => {
  let now = 0;
  const r = createReassembly(1000, () => now);
  expect(r.add(key, 1, 'A')).toBeNull();
  now = 2000;
  expect(r.add(key, 2, 'B')).toBeNull();
  expect(r.add(key, 3, 'C')).toBeNull(); // part 1 expired
  expect(r.add(key, 0, 'x')).toBeNull();
  expect(r.add(key, 4, 'x')).toBeNull();
});
