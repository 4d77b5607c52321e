import type { MessageAnalysis } from './analyze';
import { NATIONAL_SHIFT_TABLES, type NationalLanguage } from './national-shift';
import { encodeGsm7, fillBitsAfter, packSeptets } from './septets';
import { encodeUcs2 } from './ucs2';

export interface UdhOptions {
  /** Concatenation element: this part's place in the message. Omitted for a single-part message. */
  concatenation?: { reference: number; total: number; sequence: number; referenceBits?: 8 | 16 } | undefined;
  /** National language single shift element (IEI 0x24). */
  nationalLanguage?: NationalLanguage | null | undefined;
}

/**
 * A user data header (TS 23.040 §9.2.3.24), its length octet first: concatenation with an 8-bit
 * (IEI 0x00) or 16-bit (IEI 0x08) reference, and the national single shift element. Empty when neither.
 */
export function userDataHeader(options: UdhOptions): Uint8Array {
  const elements: number[] = [];
  const c = options.concatenation;
  if (c) {
    if (c.referenceBits === 16) elements.push(0x08, 0x04, (c.reference >> 8) & 0xff, c.reference & 0xff);
    else elements.push(0x00, 0x03, c.reference & 0xff);
    elements.push(c.total, c.sequence);
  }
  if (options.nationalLanguage) elements.push(0x24, 0x01, NATIONAL_SHIFT_TABLES[options.nationalLanguage].id);
  return elements.length ? Uint8Array.from([elements.length, ...elements]) : new Uint8Array(0);
}

const MAX_OCTETS = 140;

/**
 * The user data of each part, ready for the wire: header then text. GSM-7 as one septet per octet
 * (SMPP's usual form) or packed (`packed: true`, the air-interface form, padded after the header).
 * Refuses a part that does not fit in 140 octets (a 16-bit reference leaves 152 septets, not 153).
 */
export function userDataParts(
  analysis: MessageAnalysis,
  options: { reference: number; referenceBits?: 8 | 16; packed?: boolean },
): Uint8Array[] {
  const total = analysis.parts.length;
  return analysis.parts.map((text, i) => {
    const udh = userDataHeader({
      concatenation:
        total > 1
          ? { reference: options.reference, total, sequence: i + 1, referenceBits: options.referenceBits }
          : undefined,
      nationalLanguage: analysis.nationalLanguage,
    });
    let body: Uint8Array;
    let octets: number;
    if (analysis.encoding === 'UCS-2') {
      body = encodeUcs2(text);
      octets = udh.length + body.length;
    } else {
      const septets = encodeGsm7(text, analysis.nationalLanguage);
      const fill = udh.length ? fillBitsAfter(udh.length) : 0;
      body = options.packed ? packSeptets(septets, fill) : septets;
      octets = udh.length + Math.ceil((septets.length * 7 + fill) / 8);
    }
    if (octets > MAX_OCTETS)
      throw new RangeError(`Part ${i + 1} needs ${octets} octets, more than ${MAX_OCTETS}`);
    const out = new Uint8Array(udh.length + body.length);
    out.set(udh);
    out.set(body, udh.length);
    return out;
  });
}
