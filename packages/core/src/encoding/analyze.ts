import { gsm7Septets } from './gsm7-alphabet';

export type Encoding = 'GSM-7' | 'UCS-2';

export interface MessageAnalysis {
  encoding: Encoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
  /** The text carried by each segment, in order. */
  parts: string[];
  /** Characters (deduplicated, in order of appearance) that are not GSM-7 and forced UCS-2. */
  nonGsmCharacters: string[];
}

/** 3GPP TS 23.040: one SM carries 140 octets; a concatenated one loses 6 octets to its UDH. */
export const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

/**
 * Encoding, unit count, segment count and the text of each segment.
 * An escape pair (GSM-7 extension character) or a surrogate pair is never split across parts.
 */
export function analyzeMessage(text: string): MessageAnalysis {
  let septets = 0;
  let nonGsm: string[] | null = null;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const s = gsm7Septets(code);
    if (s === 0) {
      nonGsm ??= [];
      const isHigh = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
      const ch = isHigh ? text.slice(i, i + 2) : text[i]!;
      if (isHigh) i++;
      if (!nonGsm.includes(ch)) nonGsm.push(ch);
    } else {
      septets += s;
    }
  }
  if (nonGsm === null) {
    const parts = septets <= LIMITS['GSM-7'].single ? [text] : split(text, LIMITS['GSM-7'].multi, gsm7Width);
    return { encoding: 'GSM-7', units: septets, segments: parts.length, parts, nonGsmCharacters: [] };
  }
  const units = text.length;
  const parts = units <= LIMITS['UCS-2'].single ? [text] : split(text, LIMITS['UCS-2'].multi, ucs2Width);
  return { encoding: 'UCS-2', units, segments: parts.length, parts, nonGsmCharacters: nonGsm };
}

/** Width of the character starting at `i` as [units it costs, code units it spans]. */
type Width = (text: string, i: number) => [number, number];

const gsm7Width: Width = (text, i) => [gsm7Septets(text.charCodeAt(i)), 1];

const ucs2Width: Width = (text, i) => {
  const code = text.charCodeAt(i);
  const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length;
  return pair ? [2, 2] : [1, 1];
};

function split(text: string, perPart: number, width: Width): string[] {
  const parts: string[] = [];
  let start = 0;
  let used = 0;
  for (let i = 0; i < text.length; ) {
    const [units, span] = width(text, i);
    if (used + units > perPart) {
      parts.push(text.slice(start, i));
      start = i;
      used = 0;
    }
    used += units;
    i += span;
  }
  parts.push(text.slice(start));
  return parts;
}
