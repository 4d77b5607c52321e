import { leadingWords } from './keywords';

/** What a subscriber's keyword asks for. */
export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

/** The configured keywords of each action (upper-case words, `compliance.*Keywords`). */
export interface KeywordLists {
  optOut: readonly string[];
  optIn: readonly string[];
  help: readonly string[];
}

/**
 * The word of a message that may be a keyword, folded (case, accents and punctuation ignored): its
 * first word, or, when it came in on a number through that number's routing keyword (`DUKA ACHA` to a
 * shared short code), the word after that keyword. '' when there is none.
 */
export function actionWord(text: string, routingKeyword: string | null): string {
  if (!routingKeyword) return leadingWords(text, 1)[0] ?? '';
  const [first, second] = leadingWords(text, 2);
  return first === routingKeyword ? (second ?? '') : '';
}

/** What the message asks for: `Acha.`, `ACHA tafadhali`, `Stop!` → `opt_out`; null when it is no keyword. */
export function keywordAction(
  text: string,
  routingKeyword: string | null,
  lists: KeywordLists,
): KeywordAction | null {
  const word = actionWord(text, routingKeyword);
  if (word === '') return null;
  if (lists.optOut.includes(word)) return 'opt_out';
  if (lists.optIn.includes(word)) return 'opt_in';
  if (lists.help.includes(word)) return 'help';
  return null;
}
