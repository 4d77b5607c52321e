import { DEFAULT_TABLE, type ShiftTable } from './gsm7-alphabet';
import { NATIONAL_SHIFT_TABLES, type NationalLanguage } from './national-shift';
import { type Replacement, replaceLookalikes } from './smart-encoding';
import { splitGsm7, splitUcs2 } from './split';

export type Encoding = 'GSM-7' | 'UCS-2';

export interface AnalyzeOptions {
  /** Replace look-alikes (curly quotes, dashes, …) when they are the only reason for UCS-2. */
  smartEncoding?: boolean | undefined;
  /** National single shift tables the carrier supports, tried when the default alphabet does not fit. */
  nationalLanguages?: readonly NationalLanguage[] | undefined;
}

export interface MessageAnalysis {
  encoding: Encoding;
  /** Septets for GSM-7 (escaped characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** The text carried by each segment, in order; joined they give `text`. */
  parts: string[];
  /** The text that is sent: the input, or the input with smart-encoding replacements. */
  text: string;
  /** Characters (deduplicated, in order of appearance) outside the GSM-7 alphabet: why UCS-2 was needed. */
  nonGsmCharacters: string[];
  /** Smart-encoding replacements made, empty when none. */
  replacements: Replacement[];
  /** The national single shift table used (its UDH element costs 3 octets per segment), or null. */
  nationalLanguage: NationalLanguage | null;
  /** Units each segment can carry with this encoding, header and segment count. */
  unitsPerSegment: number;
}

/**
 * 3GPP TS 23.040 §9.2.3.24: an SM carries 140 octets of user data; a user data header takes octets
 * from it (GSM-7 pads the header to a septet boundary). Concatenation (8-bit reference) is 5 octets
 * plus the 1-octet header length; a national single shift element 3 more.
 */
export const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'GSM-7 national shift': { single: 155, multi: 149 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/** Septets of `text` with `table`, or -1 at the first character it cannot encode. */
function septetCount(text: string, table: ShiftTable): number {
  const lookup = table.septets;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const s = code < lookup.length ? lookup[code]! : 0;
    if (s === 0) return -1;
    n += s;
  }
  return n;
}

function nonGsm(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) if (septetCount(ch, DEFAULT_TABLE) < 0 && !out.includes(ch)) out.push(ch);
  return out;
}

function gsm7(
  text: string,
  septets: number,
  language: NationalLanguage | null,
  replacements: Replacement[],
): MessageAnalysis {
  const table = language === null ? DEFAULT_TABLE : NATIONAL_SHIFT_TABLES[language];
  const limits = LIMITS[language === null ? 'GSM-7' : 'GSM-7 national shift'];
  const single = septets <= limits.single;
  const parts = single ? [text] : splitGsm7(text, limits.multi, table);
  return {
    encoding: 'GSM-7',
    units: septets,
    segments: parts.length,
    parts,
    text,
    nonGsmCharacters: [],
    replacements,
    nationalLanguage: language,
    unitsPerSegment: single ? limits.single : limits.multi,
  };
}

/**
 * Encoding, unit count, segment count and the text of each segment, per 3GPP TS 23.038 / 23.040.
 * An escape pair or a surrogate pair is never split across parts, nor a user-perceived character
 * (an emoji sequence, a letter with combining marks) when that costs no extra segment.
 */
export function analyzeMessage(text: string, options: AnalyzeOptions = {}): MessageAnalysis {
  const septets = septetCount(text, DEFAULT_TABLE);
  if (septets >= 0) return gsm7(text, septets, null, []);

  const candidates: { text: string; replacements: Replacement[] }[] = [{ text, replacements: [] }];
  if (options.smartEncoding) {
    const replaced = replaceLookalikes(text);
    if (replaced.replacements.length) {
      const s = septetCount(replaced.text, DEFAULT_TABLE);
      if (s >= 0) return gsm7(replaced.text, s, null, replaced.replacements);
      candidates.push(replaced);
    }
  }
  let best: MessageAnalysis | null = null;
  for (const candidate of candidates)
    for (const language of options.nationalLanguages ?? []) {
      const s = septetCount(candidate.text, NATIONAL_SHIFT_TABLES[language]);
      if (s < 0) continue;
      const a = gsm7(candidate.text, s, language, candidate.replacements);
      if (best === null || a.segments < best.segments) best = a;
    }
  if (best !== null) return best;

  const units = text.length;
  const single = units <= LIMITS['UCS-2'].single;
  const parts = single ? [text] : splitUcs2(text, LIMITS['UCS-2'].multi);
  return {
    encoding: 'UCS-2',
    units,
    segments: parts.length,
    parts,
    text,
    nonGsmCharacters: nonGsm(text),
    replacements: [],
    nationalLanguage: null,
    unitsPerSegment: single ? LIMITS['UCS-2'].single : LIMITS['UCS-2'].multi,
  };
}
