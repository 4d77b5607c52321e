import { describe, expect, it } from 'vitest';
import { firstWord, foldKeyword, keywordOf } from './keywords';

describe('foldKeyword', () => {
  it.each([
    ['duka', 'DUKA'],
    ['Duka!', 'DUKA'],
    ['DÚKA', 'DUKA'],
    ['Shulé', 'SHULE'],
    ['ＳＴＯＰ', 'STOP'],
    ['a-1', 'A1'],
    ['...', ''],
  ])('%s → %s', (word, folded) => {
    expect(foldKeyword(word)).toBe(folded);
  });
});

describe('firstWord', () => {
  it.each([
    ['duka nataka sukari', 'DUKA'],
    ['  #Duka, nataka', 'DUKA'],
    ['DUKA,nataka', 'DUKA'],
    ['... shulé: ada', 'SHULE'],
    ['\n\tSTOP.', 'STOP'],
    ['Asante sana', 'ASANTE'],
    ['', ''],
    ['?!', ''],
  ])('%j → %s', (text, word) => {
    expect(firstWord(text)).toBe(word);
  });
});

describe('keywordOf', () => {
  it('folds one word', () => {
    expect(keywordOf(' duka ')).toEqual({ ok: true, keyword: 'DUKA' });
    expect(keywordOf('Shulé!')).toEqual({ ok: true, keyword: 'SHULE' });
  });

  it.each([
    ['', 'must have a letter or digit'],
    ['!!', 'must have a letter or digit'],
    ['two words', 'must be one word of letters and digits'],
    ['duka-1', 'must be one word of letters and digits'],
    ['x'.repeat(21), 'must be at most 20 characters'],
  ])('refuses %j', (input, reason) => {
    expect(keywordOf(input)).toEqual({ ok: false, reason });
  });
});
