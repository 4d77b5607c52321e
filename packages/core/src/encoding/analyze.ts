import { escapedPositions } from './gsm7-alphabet';
import { NATIONAL_SHIFT_TABLES, type NationalLanguage } from './national-shift';
import { type Replacement, replaceLookalikes } from './smart-encoding';
import { gsm7Cuts, sliceAt, ucs2Cuts, ucs2CutsKeepingClusters } from './split';

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

function nonGsm(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) if (escapedPositions(ch) === null && !out.includes(ch)) out.push(ch);
  return out;
}

/**
 * The analysis, with `parts` and `nonGsmCharacters` made on first read: counting segments needs only
 * where the cuts fall, so the common use (pricing a send) never builds the substrings.
 */
class Analysis implements MessageAnalysis {
  #parts: string[] | undefined;
  #nonGsm: string[] | undefined;

  constructor(
    readonly encoding: Encoding,
    readonly units: number,
    readonly segments: number,
    readonly text: string,
    readonly replacements: Replacement[],
    readonly nationalLanguage: NationalLanguage | null,
    readonly unitsPerSegment: number,
    private readonly makeParts: () => string[],
    private readonly makeNonGsm: () => string[],
  ) {}

  get parts(): string[] {
    this.#parts ??= this.makeParts();
    return this.#parts;
  }

  get nonGsmCharacters(): string[] {
    this.#nonGsm ??= this.makeNonGsm();
    return this.#nonGsm;
  }

  toJSON(): MessageAnalysis {
    const { makeParts: _parts, makeNonGsm: _nonGsm, ...fields } = this;
    return { ...fields, parts: this.parts, nonGsmCharacters: this.nonGsmCharacters };
  }
}

const NONE = (): string[] => [];
const NO_CUTS: number[] = [];
const NO_REPLACEMENTS: Replacement[] = [];

function gsm7(
  text: string,
  escapes: readonly number[],
  language: NationalLanguage | null,
  replacements: Replacement[],
): MessageAnalysis {
  const septets = text.length + escapes.length;
  const limits = LIMITS[language === null ? 'GSM-7' : 'GSM-7 national shift'];
  const single = septets <= limits.single;
  const cuts = single ? NO_CUTS : gsm7Cuts(text.length, escapes, limits.multi);
  return new Analysis(
    'GSM-7',
    septets,
    cuts.length + 1,
    text,
    replacements,
    language,
    single ? limits.single : limits.multi,
    () => sliceAt(text, cuts),
    NONE,
  );
}

/**
 * Encoding, unit count, segment count and the text of each segment, per 3GPP TS 23.038 / 23.040.
 * An escape pair or a surrogate pair is never split across parts, nor a user-perceived character
 * (an emoji sequence, a letter with combining marks) when that costs no extra segment.
 */
export function analyzeMessage(text: string, options: AnalyzeOptions = {}): MessageAnalysis {
  const escapes = escapedPositions(text);
  if (escapes !== null) return gsm7(text, escapes, null, NO_REPLACEMENTS);

  const candidates: { text: string; replacements: Replacement[] }[] = [{ text, replacements: [] }];
  if (options.smartEncoding) {
    const replaced = replaceLookalikes(text);
    if (replaced.replacements.length) {
      const e = escapedPositions(replaced.text);
      if (e !== null) return gsm7(replaced.text, e, null, replaced.replacements);
      candidates.push(replaced);
    }
  }
  let best: MessageAnalysis | null = null;
  for (const candidate of candidates)
    for (const language of options.nationalLanguages ?? []) {
      const e = escapedPositions(candidate.text, NATIONAL_SHIFT_TABLES[language]);
      if (e === null) continue;
      const a = gsm7(candidate.text, e, language, candidate.replacements);
      if (best === null || a.segments < best.segments) best = a;
    }
  if (best !== null) return best;

  const units = text.length;
  const { single, multi } = LIMITS['UCS-2'];
  const cuts = units <= single ? NO_CUTS : ucs2Cuts(text, multi);
  return new Analysis(
    'UCS-2',
    units,
    cuts.length + 1,
    text,
    [],
    null,
    units <= single ? single : multi,
    () => sliceAt(text, ucs2CutsKeepingClusters(text, multi, cuts)),
    () => nonGsm(text),
  );
}
