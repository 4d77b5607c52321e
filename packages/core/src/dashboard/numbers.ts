import type { PhoneResult } from '../domain/phone';

/** A number as read from what was typed or pasted, and what the send's check says of it. */
export interface ReadNumber {
  input: string;
  /** Its E.164 form, or null when the send would refuse it (then `reason` says why). */
  e164: string | null;
  reason: string | null;
}

/** Lines, commas, semicolons, tabs and bars always separate numbers; spaces may be inside one. */
const SEPARATORS = /[\n\r,;|\t]+/;
/** Words of one number at most (`+255 754 123 456`, `(0754) 12 34 56`). */
const MAX_WORDS = 6;

/**
 * The numbers in a pasted list, in order, with any separators: where spaces split a run of words, the
 * longest run of words that `check` takes is one number (so `0754 123 456 0755 111 222` is two), and
 * words no number starts with are one refused entry up to the next number. `check` is the send's
 * own (`normalizePhone` with its options), so what is shown valid here is what the send takes. Pure.
 */
export function readNumbers(text: string, check: (input: string) => PhoneResult): ReadNumber[] {
  const read: ReadNumber[] = [];
  const startAt = (words: string[], i: number) => {
    for (let j = Math.min(words.length, i + MAX_WORDS); j > i; j--) {
      const input = words.slice(i, j).join(' ');
      const r = check(input);
      if (r.ok) return { input, e164: r.e164, end: j };
    }
    return null;
  };
  for (const chunk of text.split(SEPARATORS)) {
    const words = chunk.trim().split(/\s+/).filter(Boolean);
    let refused: string[] = [];
    const flush = () => {
      if (refused.length === 0) return;
      const input = refused.join(' ');
      const r = check(input);
      read.push({ input, e164: null, reason: r.ok ? null : r.reason });
      refused = [];
    };
    for (let i = 0; i < words.length; ) {
      const found = startAt(words, i);
      if (found) {
        flush();
        read.push({ input: found.input, e164: found.e164, reason: null });
        i = found.end;
      } else refused.push(words[i++]!);
    }
    flush();
  }
  return read;
}
