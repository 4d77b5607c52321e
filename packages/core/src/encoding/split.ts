import { type ShiftTable, septetsOf } from './gsm7-alphabet';

/** GSM-7 parts of at most `perPart` septets; an escaped character (2 septets) never straddles two parts. */
export function splitGsm7(text: string, perPart: number, table: ShiftTable): string[] {
  const parts: string[] = [];
  let start = 0;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const s = septetsOf(text.charCodeAt(i), table);
    if (used + s > perPart) {
      parts.push(text.slice(start, i));
      start = i;
      used = 0;
    }
    used += s;
  }
  parts.push(text.slice(start));
  return parts;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Greedy UCS-2 parts of at most `perPart` code units, never splitting a surrogate pair. */
function splitCodeUnits(text: string, perPart: number): string[] {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const width = isHighSurrogate(text.charCodeAt(i)) && i + 1 < text.length ? 2 : 1;
    if (i + width - start > perPart) {
      parts.push(text.slice(start, i));
      start = i;
    }
    i += width;
  }
  parts.push(text.slice(start));
  return parts;
}

let graphemes: Intl.Segmenter | null = null;

/** Greedy UCS-2 parts made of whole grapheme clusters, or null when a cluster is longer than a part. */
function splitClusters(text: string, perPart: number): string[] | null {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const parts: string[] = [];
  let start = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (segment.length > perPart) return null;
    if (index + segment.length - start > perPart) {
      parts.push(text.slice(start, index));
      start = index;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * UCS-2 parts of at most `perPart` code units. Whole user-perceived characters (emoji ZWJ sequences,
 * flags, skin tones, combining marks) stay in one part unless that would take an extra segment.
 */
export function splitUcs2(text: string, perPart: number): string[] {
  const byUnits = splitCodeUnits(text, perPart);
  const byClusters = splitClusters(text, perPart);
  return byClusters !== null && byClusters.length === byUnits.length ? byClusters : byUnits;
}
