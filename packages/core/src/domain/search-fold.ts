/**
 * Text as contact search compares it, the same on every engine (SQLite's `lower()` folds ASCII only):
 * compatibility-decomposed, combining marks dropped, lower-cased. `Élodie`, `ÉLODIE` and `elodie` meet;
 * so do `ŞEKER` and `şeker`, `Жанна` and `жанна`.
 */
export const foldForSearch = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
