import { GSM7_EXTENSION, type ShiftTable, shiftTable } from './gsm7-alphabet';

/**
 * National language single shift tables, 3GPP TS 23.038 Annex A.2. Each replaces the default
 * extension table behind the escape (and repeats its characters), signalled by a 3-octet
 * information element in the user data header (TS 23.040 §9.2.3.24.15).
 */
/** Every single shift table repeats the default extension table's characters at the same codes. */
const COMMON = [...GSM7_EXTENSION];

/** A.2.1 Turkish. */
const TURKISH: [string, number][] = [
  ['Ş', 0x53],
  ['ç', 0x63],
  ['ş', 0x73],
  ['Ğ', 0x47],
  ['ğ', 0x67],
  ['İ', 0x49],
  ['ı', 0x69],
];

/** A.2.2 Spanish. */
const SPANISH: [string, number][] = [
  ['ç', 0x09],
  ['Á', 0x41],
  ['á', 0x61],
  ['Í', 0x49],
  ['í', 0x69],
  ['Ó', 0x4f],
  ['ó', 0x6f],
  ['Ú', 0x55],
  ['ú', 0x75],
];

/** A.2.3 Portuguese. */
const PORTUGUESE: [string, number][] = [
  ['ê', 0x05],
  ['ç', 0x09],
  ['Ô', 0x0b],
  ['ô', 0x0c],
  ['Á', 0x0e],
  ['á', 0x0f],
  ['Φ', 0x12],
  ['Γ', 0x13],
  ['Ω', 0x15],
  ['Π', 0x16],
  ['Ψ', 0x17],
  ['Σ', 0x18],
  ['Θ', 0x19],
  ['Ê', 0x1f],
  ['À', 0x41],
  ['Í', 0x49],
  ['Ó', 0x4f],
  ['Ú', 0x55],
  ['Ã', 0x5b],
  ['Õ', 0x5c],
  ['Â', 0x61],
  ['í', 0x69],
  ['ó', 0x6f],
  ['ú', 0x75],
  ['ã', 0x7b],
  ['õ', 0x7c],
  ['â', 0x7f],
];

export const NATIONAL_LANGUAGES = ['turkish', 'spanish', 'portuguese'] as const;
export type NationalLanguage = (typeof NATIONAL_LANGUAGES)[number];

export const NATIONAL_SHIFT_TABLES: Record<NationalLanguage, ShiftTable> = {
  turkish: shiftTable(1, new Map([...COMMON, ...TURKISH])),
  spanish: shiftTable(2, new Map([...COMMON, ...SPANISH])),
  portuguese: shiftTable(3, new Map([...COMMON, ...PORTUGUESE])),
};
