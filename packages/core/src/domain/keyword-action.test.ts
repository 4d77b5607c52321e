import { describe, expect, it } from 'vitest';
import { actionWord, keywordAction } from './keyword-action';
import { leadingWords } from './keywords';

const lists = { optOut: ['STOP', 'ACHA'], optIn: ['START', 'ANZA'], help: ['HELP', 'MSAADA'] };

describe('leadingWords', () => {
  it('folds the first words, skipping punctuation', () => {
    expect(leadingWords('#duka, Áchá! tafadhali', 2)).toEqual(['DUKA', 'ACHA']);
    expect(leadingWords('duka', 2)).toEqual(['DUKA']);
    expect(leadingWords('...', 1)).toEqual([]);
  });
});

describe('actionWord', () => {
  it('is the first word without a routing keyword, the word after it with one', () => {
    expect(actionWord('Acha tafadhali', null)).toBe('ACHA');
    expect(actionWord('DUKA acha', 'DUKA')).toBe('ACHA');
    expect(actionWord('duka, ACHA!', 'DUKA')).toBe('ACHA');
    expect(actionWord('DUKA', 'DUKA')).toBe('');
    expect(actionWord('SHULE ACHA', 'DUKA')).toBe('');
  });
});

describe('keywordAction', () => {
  it.each([
    ['Acha.', null, 'opt_out'],
    ['ACHA tafadhali', null, 'opt_out'],
    ['stop', null, 'opt_out'],
    ['Stop!', null, 'opt_out'],
    ['  ÁCHA', null, 'opt_out'],
    ['DUKA ACHA', 'DUKA', 'opt_out'],
    ['start', null, 'opt_in'],
    ['DUKA Anza', 'DUKA', 'opt_in'],
    ['help', null, 'help'],
    ['Msaada?', null, 'help'],
    ['Asante, stop', null, null],
    ['stopping', null, null],
    ['DUKA nataka sukari', 'DUKA', null],
    ['DUKA', 'DUKA', null],
    ['', null, null],
  ] as const)('%j (keyword %s) → %s', (text, keyword, action) => {
    expect(keywordAction(text, keyword, lists)).toBe(action);
  });
});
