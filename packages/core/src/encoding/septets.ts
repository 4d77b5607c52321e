import { DEFAULT_TABLE, GSM7_BASIC, GSM7_ESCAPE, type ShiftTable } from './gsm7-alphabet';
import { NATIONAL_SHIFT_TABLES, type NationalLanguage } from './national-shift';

const tableFor = (language: NationalLanguage | null | undefined): ShiftTable =>
  language ? NATIONAL_SHIFT_TABLES[language] : DEFAULT_TABLE;

/** Basic-table codes by UTF-16 code unit (every basic character is below U+0400), -1 for none. */
const BASIC_BY_UNIT = new Int16Array(0x400).fill(-1);
[...GSM7_BASIC].forEach((ch, i) => {
  if (i !== GSM7_ESCAPE) BASIC_BY_UNIT[ch.charCodeAt(0)] = i;
});

/** The text as GSM-7 septet values, one per byte; an escaped character is 0x1B and its code. */
export function encodeGsm7(text: string, language?: NationalLanguage | null): Uint8Array {
  const table = tableFor(language);
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const basic = unit < 0x400 ? BASIC_BY_UNIT[unit]! : -1;
    if (basic >= 0) out[n++] = basic;
    else {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      const shifted = table.chars.get(ch);
      if (shifted === undefined) throw new RangeError(`${JSON.stringify(ch)} is not in the GSM-7 alphabet`);
      out[n++] = GSM7_ESCAPE;
      out[n++] = shifted;
      i += ch.length - 1; // a character past the BMP is two code units
    }
  }
  return out.slice(0, n);
}

/** Septet values back to text. An escape to an undefined character reads as the basic character (TS 23.038 §6.2.1.1). */
export function decodeGsm7(septets: Uint8Array, language?: NationalLanguage | null): string {
  const { byCode } = tableFor(language);
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const s = septets[i]! & 0x7f;
    if (s === GSM7_ESCAPE && i + 1 < septets.length) {
      const next = septets[++i]! & 0x7f;
      out += byCode.get(next) ?? GSM7_BASIC[next];
    } else if (s !== GSM7_ESCAPE) out += GSM7_BASIC[s];
  }
  return out;
}

/** Packs septets into octets, least significant bit first (TS 23.038 §6.1.2.1), after `fillBits` zero bits. */
export function packSeptets(septets: Uint8Array, fillBits = 0): Uint8Array {
  const out = new Uint8Array(Math.ceil((septets.length * 7 + fillBits) / 8));
  let bit = fillBits;
  for (const s of septets) {
    const byte = bit >> 3;
    const shift = bit & 7;
    out[byte]! |= (s << shift) & 0xff;
    if (shift > 1) out[byte + 1]! |= s >> (8 - shift);
    bit += 7;
  }
  return out;
}

/** Reads `count` septets from packed octets that start after `fillBits` bits. */
export function unpackSeptets(octets: Uint8Array, count: number, fillBits = 0): Uint8Array {
  const out = new Uint8Array(count);
  let bit = fillBits;
  for (let i = 0; i < count; i++) {
    const byte = bit >> 3;
    const shift = bit & 7;
    let v = octets[byte]! >> shift;
    if (shift > 1) v |= (octets[byte + 1] ?? 0) << (8 - shift);
    out[i] = v & 0x7f;
    bit += 7;
  }
  return out;
}

/** Fill bits that bring a user data header of `udhOctets` (its length octet included) to a septet boundary. */
export const fillBitsAfter = (udhOctets: number) => (7 - ((udhOctets * 8) % 7)) % 7;
