import { instantOfWallClock } from '../domain/time-zone';
import {
  analyzeMessage,
  type Encoding,
  GSM7_BASIC,
  GSM7_EXTENSION,
  LIMITS,
  SMART_REPLACEMENTS,
} from '../encoding';

/** A character that forces UCS-2, and the GSM-7 text that may stand for it (null: none). */
export interface ForcingCharacter {
  char: string;
  fix: string | null;
}

/** What the Send page shows of a text as it is typed. */
export interface Figures {
  encoding: Encoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units left before the text takes another segment. */
  left: number;
  forcing: ForcingCharacter[];
}

const fixOf = (char: string) => SMART_REPLACEMENTS[char] ?? null;

/** The figures of a text, as a send encodes it (the default alphabet, nothing replaced). Pure. */
export function figuresOf(text: string): Figures {
  const a = analyzeMessage(text);
  return {
    encoding: a.encoding,
    units: a.units,
    segments: a.segments,
    left: a.unitsPerSegment * a.segments - a.units,
    forcing: a.nonGsmCharacters.map((char) => ({ char, fix: fixOf(char) })),
  };
}

/** The text with every `char` replaced by its GSM-7 look-alike (unchanged when it has none). */
export const withFix = (text: string, char: string) => {
  const fix = fixOf(char);
  return fix === null ? text : text.replaceAll(char, fix);
};

/**
 * The encoding module's tables as the page's script reads them (one source: the script counts with
 * these, never with its own copy): the basic alphabet (without its escape), the characters behind the
 * escape, the look-alike replacements and the segment sizes.
 */
export const SCRIPT_TABLES = JSON.stringify({
  basic: GSM7_BASIC.replace('\u001b', ''),
  extension: [...GSM7_EXTENSION.keys()].join(''),
  fixes: SMART_REPLACEMENTS,
  limits: { gsm: LIMITS['GSM-7'], ucs2: LIMITS['UCS-2'] },
});

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * A `datetime-local` value (`2026-03-01T10:00`), read in `zone`, as an ISO UTC instant; null when it
 * is not one. Where the clocks go back it is the first such instant, where they jump over it the jump.
 */
export function utcOfLocal(value: string, zone: string): string | null {
  const m = LOCAL.exec(value);
  if (!m) return null;
  const wall = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}Z`);
  if (Number.isNaN(wall)) return null;
  return new Date(instantOfWallClock(wall, zone)).toISOString();
}
