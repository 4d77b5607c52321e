import { expect, it } from 'vitest';
import {
  generateApiKey,
  grants,
  hashApiKey,
  isApiKeyForm,
  parsePermissions,
  timingSafeEqual,
  visiblePrefix,
} from './api-key';

it('generates distinct keys of at least 128 random bits with a visible prefix', () => {
  const keys = new Set(Array.from({ length: 1000 }, generateApiKey));
  expect(keys.size).toBe(1000);
  const key = [...keys][0]!;
  expect(key).toMatch(/^mk_live_[0-9A-Za-z]{40}$/);
  expect(40 * Math.log2(62)).toBeGreaterThan(128);
  expect(visiblePrefix(key)).toBe(key.slice(0, 12));
});

it('tells a key of the generated form from a short or foreign one', () => {
  expect(isApiKeyForm(generateApiKey())).toBe(true);
  expect(isApiKeyForm(`mk_check_${'a1'.repeat(8)}`)).toBe(true);
  expect(isApiKeyForm(`mk_test_${'a'.repeat(128)}`)).toBe(true);
  for (const key of [
    'a',
    'mk_live_',
    `mk_live_${'a'.repeat(15)}`,
    `mk_live_${'a'.repeat(129)}`,
    `mk__${'a'.repeat(40)}`,
  ])
    expect(isApiKeyForm(key)).toBe(false);
  expect(isApiKeyForm(`mk_Live_${'a'.repeat(40)}`)).toBe(false);
  expect(isApiKeyForm(`mk_live_${'a'.repeat(39)}-`)).toBe(false);
  expect(isApiKeyForm(`mk_live_${'a'.repeat(40)}\n`)).toBe(false);
});

it('hashes with SHA-256', async () => {
  expect(await hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

it('compares in constant time', () => {
  expect(timingSafeEqual('abc', 'abc')).toBe(true);
  expect(timingSafeEqual('abc', 'abd')).toBe(false);
  expect(timingSafeEqual('abc', 'ab')).toBe(false);
});

it('admin grants all, others only themselves', () => {
  expect(grants(['admin'], 'write')).toBe(true);
  expect(grants(['read'], 'write')).toBe(false);
  expect(grants(parsePermissions('read,write,bogus'), 'write')).toBe(true);
});
