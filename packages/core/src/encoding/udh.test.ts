import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';
import { decodeGsm7, unpackSeptets } from './septets';
import { decodeUcs2 } from './ucs2';
import { userDataHeader, userDataParts } from './udh';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('user data header', () => {
  it('8-bit reference concatenation: 05 00 03 ref total seq', () => {
    expect(hex(userDataHeader({ concatenation: { reference: 0xab, total: 3, sequence: 2 } }))).toBe(
      '050003AB0302',
    );
  });

  it('16-bit reference concatenation: 06 08 04 refHi refLo total seq', () => {
    expect(
      hex(userDataHeader({ concatenation: { reference: 0x1234, total: 2, sequence: 1, referenceBits: 16 } })),
    ).toBe('06080412340201');
  });

  it('national single shift element: 24 01 id', () => {
    expect(hex(userDataHeader({ nationalLanguage: 'turkish' }))).toBe('03240101');
    expect(
      hex(
        userDataHeader({
          concatenation: { reference: 1, total: 2, sequence: 1 },
          nationalLanguage: 'portuguese',
        }),
      ),
    ).toBe('08000301020124 0103'.replace(' ', ''));
    expect(userDataHeader({})).toHaveLength(0);
  });
});

describe('userDataParts', () => {
  it('a single GSM-7 part is the bare septets', () => {
    expect([...userDataParts(analyzeMessage('Hi'), { reference: 1 })[0]!]).toEqual([0x48, 0x69]);
  });

  it('GSM-7 parts fill 140 octets exactly when packed, and read back', () => {
    const text = 'x'.repeat(306);
    const parts = userDataParts(analyzeMessage(text), { reference: 7, packed: true });
    expect(parts.map((p) => p.length)).toEqual([140, 140]);
    const decoded = parts.map((p) => decodeGsm7(unpackSeptets(p.subarray(6), 153, 1))).join('');
    expect(decoded).toBe(text);
    expect(hex(parts[1]!.subarray(0, 6))).toBe('050003070202');
  });

  it('UCS-2 parts are header plus UTF-16BE, 140 octets full', () => {
    const text = '中'.repeat(134);
    const parts = userDataParts(analyzeMessage(text), { reference: 9 });
    expect(parts.map((p) => p.length)).toEqual([140, 140]);
    expect(parts.map((p) => decodeUcs2(p.subarray(6))).join('')).toBe(text);
  });

  it('refuses a part that does not fit: 153 septets with a 16-bit reference', () => {
    expect(() =>
      userDataParts(analyzeMessage('x'.repeat(306)), { reference: 1, referenceBits: 16, packed: true }),
    ).toThrow(/more than 140/);
    expect(() =>
      userDataParts(analyzeMessage('x'.repeat(306)), { reference: 1, referenceBits: 16, packed: true }),
    ).toThrow(RangeError);
  });

  it('national shift parts carry both elements and fit', () => {
    const a = analyzeMessage(`ş${'a'.repeat(200)}`, { nationalLanguages: ['turkish'] });
    const parts = userDataParts(a, { reference: 3, packed: true });
    expect(parts.every((p) => p.length <= 140)).toBe(true);
    expect(hex(parts[0]!.subarray(0, 9))).toBe('080003030201240101');
  });
});
