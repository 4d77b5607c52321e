import { describe, expect, it } from 'vitest';
import { createSealer } from './sealer';

const HEX = 'a'.repeat(64);
const B64 = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));

describe('createSealer', () => {
  it('opens what it sealed, for the same context only, and never stores the clear text', async () => {
    const sealer = createSealer(HEX);
    const sealed = await sealer.seal('mf_live_secret', 'key_1');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('mf_live_secret');
    expect(await sealer.open(sealed, 'key_1')).toBe('mf_live_secret');
    expect(await sealer.open(sealed, 'key_2')).toBeNull();
    expect(await sealer.seal('mf_live_secret', 'key_1')).not.toBe(sealed); // a fresh IV each time
  });

  it('opens each value once, keeping the last thousand', async () => {
    const sealer = createSealer(HEX);
    const sealed = await sealer.seal('k', 'key_1');
    const first = sealer.open(sealed, 'key_1');
    expect(sealer.open(sealed, 'key_1')).toBe(first);
    for (let i = 0; i < 1000; i++) void sealer.open(`v1.AAAA.${i}`, 'other');
    const again = sealer.open(sealed, 'key_1');
    expect(again).not.toBe(first);
    expect(await again).toBe('k');
  });

  it('does not open with another secret or a damaged value', async () => {
    const sealed = await createSealer(HEX).seal('x', 'c');
    expect(await createSealer(B64).open(sealed, 'c')).toBeNull();
    expect(await createSealer(HEX).open(`${sealed.slice(0, -4)}AAA=`, 'c')).toBeNull();
    expect(await createSealer(HEX).open('plain', 'c')).toBeNull();
  });

  it('takes 32 bytes as hex or base64 and refuses anything else by saying what it wants', () => {
    expect(() => createSealer(B64)).not.toThrow();
    expect(() => createSealer(B64.replace(/=$/, ''))).not.toThrow();
    expect(() => createSealer('short')).toThrow(/32 bytes as 64 hex digits or as base64/);
    expect(() => createSealer('a'.repeat(62))).toThrow(RangeError);
  });
});
