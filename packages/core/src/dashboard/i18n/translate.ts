import type { Language } from '../../domain/language';
import { type Catalogue, en, type MessageKey } from './en';
import { sw } from './sw';

export const CATALOGUES: Record<Language, Catalogue> = { en, sw };

/** Values put into a text's `{name}` placeholders. */
export type Params = Record<string, string | number>;

/** The nouns whose count has plural forms in the catalogue (`count.message.one`, `count.message.other`). */
export type CountNoun = MessageKey extends infer K ? (K extends `count.${infer N}.one` ? N : never) : never;

/** The placeholder names of a text, sorted (`'{n} of {total}'` → `['n', 'total']`). */
export const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/** A text's placeholders filled in; one without a value is left as it is. */
const fill = (text: string, params: Params | undefined, number: (n: number) => string) =>
  params
    ? text.replace(/\{(\w+)\}/g, (whole, name: string) => {
        const v = params[name];
        return v === undefined ? whole : typeof v === 'number' ? number(v) : v;
      })
    : text;

/** The dashboard's own reasons for a refusal (`refusal.*`), by their English text. */
const REASONS = new Map(
  (Object.entries(en) as [MessageKey, string][])
    .filter(([k]) => k.startsWith('refusal.'))
    .map(([k, v]) => [v, k]),
);

/** A page's texts in one language: `t(key, params)`, and the helpers below. */
export interface Translator {
  (key: MessageKey, params?: Params): string;
  lang: Language;
  /** The text of a key made at run time (`status.${status}`), or undefined when the catalogue has none. */
  maybe(key: string, params?: Params): string | undefined;
  /** A count with its noun, in the plural form the language wants (`1 message`, `jumbe 2`). */
  count(noun: CountNoun, n: number): string;
  /** One of the dashboard's own reasons (an English `refusal.*` text) in this language; other text as it is. */
  reason(text: string): string;
  /**
   * A text cut at its placeholders, each replaced by its value as given (a link, an element), for a
   * page to render; a string value is put in as text, a number written as the language does.
   */
  parts<T>(key: MessageKey, params: Record<string, T | string | number>): (T | string)[];
}

/** The translator of a language; `number` writes the numbers put into its texts. */
export function translator(lang: Language, number: (n: number) => string): Translator {
  const catalogue = CATALOGUES[lang];
  const plural = new Intl.PluralRules(lang);
  const t = ((key: MessageKey, params?: Params) => fill(catalogue[key], params, number)) as Translator;
  t.lang = lang;
  t.maybe = (key, params) =>
    key in catalogue ? fill(catalogue[key as MessageKey], params, number) : undefined;
  t.count = (noun, n) => {
    const form = plural.select(n) === 'one' ? 'one' : 'other';
    return t(`count.${noun}.${form}` as MessageKey, { n });
  };
  t.reason = (text) => {
    const key = REASONS.get(text);
    return key ? t(key) : text;
  };
  t.parts = (key, params) =>
    catalogue[key]
      .split(/(\{\w+\})/)
      .filter((part) => part !== '')
      .map((part) => {
        const v = /^\{(\w+)\}$/.test(part) ? params[part.slice(1, -1)] : undefined;
        return v === undefined ? part : typeof v === 'number' ? number(v) : v;
      });
  return t;
}
