/** The longest keyword a number takes (after folding). */
export const MAX_KEYWORD_LENGTH = 20;

/** What separates words: white space, punctuation and symbols. */
const SEPARATORS = /[\s\p{P}\p{S}]+/u;

/**
 * A word as keywords compare it: compatibility-decomposed, combining marks dropped, anything but
 * letters and digits dropped, upper-cased. `duka`, `Duka!` and `DÚKA` all fold to `DUKA`.
 */
export const foldKeyword = (word: string): string =>
  word
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]/gu, '')
    .toUpperCase();

/** The first `count` words of a message, folded (`foldKeyword`). `#duka, acha!` → `DUKA`, `ACHA`. */
export function leadingWords(text: string, count: number): string[] {
  const words: string[] = [];
  for (const token of text.normalize('NFKD').split(SEPARATORS)) {
    if (words.length === count) break;
    const folded = foldKeyword(token);
    if (folded) words.push(folded);
  }
  return words;
}

/** The first word of a message, folded (`foldKeyword`); '' when it has none. `#duka, nataka` → `DUKA`. */
export const firstWord = (text: string): string => leadingWords(text, 1)[0] ?? '';

/**
 * A keyword as a number stores it (folded), or why it cannot be one: it must be one word (what
 * `firstWord` would find in a message that starts with it) of at most `MAX_KEYWORD_LENGTH` characters.
 */
export function keywordOf(input: string): { ok: true; keyword: string } | { ok: false; reason: string } {
  const keyword = foldKeyword(input);
  if (!keyword) return { ok: false, reason: 'must have a letter or digit' };
  if (firstWord(input) !== keyword) return { ok: false, reason: 'must be one word of letters and digits' };
  if ([...keyword].length > MAX_KEYWORD_LENGTH)
    return { ok: false, reason: `must be at most ${MAX_KEYWORD_LENGTH} characters` };
  return { ok: true, keyword };
}
