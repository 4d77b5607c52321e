import { expect, it } from 'vitest';
import { newId, randomToken } from './ids';

it('makes distinct prefixed ids across many pool refills', () => {
  const ids = new Set(Array.from({ length: 20_000 }, () => newId('msg')));
  expect(ids.size).toBe(20_000);
  for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^msg_[0-9A-Za-z]{22}$/);
});

it('uses the whole base62 alphabet about evenly', () => {
  const counts = new Map<string, number>();
  for (const ch of randomToken(62_000)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  expect(counts.size).toBe(62);
  for (const n of counts.values()) expect(n).toBeGreaterThan(800);
});

it('sorts by creation time', () => {
  const times = [0, 1, 61, 62, 1_700_000_000_000, 1_800_000_000_000, 1_800_000_000_001];
  const ids = times.map((t) => newId('rcp', t));
  expect([...ids].sort()).toEqual(ids);
});

it('sorts ids made in the same millisecond in the order they were made', () => {
  const ids = Array.from({ length: 5_000 }, () => newId('cns', 1_800_000_000_002));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(5_000);
  const later = newId('cns', 1_800_000_000_003);
  expect(later > ids.at(-1)!).toBe(true);
});
