import { describe, expect, it } from 'vitest';
import { decodeGsm7, encodeGsm7, fillBitsAfter, packSeptets, unpackSeptets } from './septets';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('GSM-7 septets', () => {
  it('packs the classic vector: "hellohello" → E8329BFD4697D9EC37', () => {
    expect(hex(packSeptets(encodeGsm7('hellohello')))).toBe('E8329BFD4697D9EC37');
  });

  it('packs 8 septets into 7 octets and unpacks them back', () => {
    const septets = encodeGsm7('ABCDEFGH');
    const packed = packSeptets(septets);
    expect(packed).toHaveLength(7);
    expect(unpackSeptets(packed, 8)).toEqual(septets);
  });

  it('escapes extension characters: € is 1B 65', () => {
    expect([...encodeGsm7('€')]).toEqual([0x1b, 0x65]);
    expect([...encodeGsm7('@£$')]).toEqual([0x00, 0x01, 0x02]);
  });

  it('uses a national single shift table when told', () => {
    expect([...encodeGsm7('ş', 'turkish')]).toEqual([0x1b, 0x73]);
    expect(decodeGsm7(Uint8Array.from([0x1b, 0x73]), 'turkish')).toBe('ş');
    expect(() => encodeGsm7('ş')).toThrow(new RangeError(`"ş" is not in the GSM-7 alphabet`));
  });

  it('reads an escape to an undefined character as the basic one', () => {
    expect(decodeGsm7(Uint8Array.from([0x1b, 0x41]))).toBe('A');
  });

  it.each([0, 1, 3, 6])('round-trips after %i fill bits', (fill) => {
    const text = 'Habari {Mifumo} [€] ~ \\ ^ | 0123456789 @£$¥ ÄÖÑÜ§¿';
    const septets = encodeGsm7(text);
    expect(decodeGsm7(unpackSeptets(packSeptets(septets, fill), septets.length, fill))).toBe(text);
  });

  it('pads a header to the septet boundary', () => {
    expect(fillBitsAfter(6)).toBe(1); // 48 bits → 49
    expect(fillBitsAfter(7)).toBe(0); // 56 bits
    expect(fillBitsAfter(4)).toBe(3); // 32 bits → 35
  });
});
