import { expect, it } from 'vitest';
import { foldForSearch } from './search-fold';

it.each([
  ['Élodie', 'elodie'],
  ['ÉMILE', 'emile'],
  ['Жанна', 'жанна'],
  ['ŞEKER', 'seker'],
  ['İstanbul', 'istanbul'],
  ['Ａsha', 'asha'],
  ['john@EXAMPLE.com', 'john@example.com'],
])('%s → %s', (text, folded) => {
  expect(foldForSearch(text)).toBe(folded);
});
