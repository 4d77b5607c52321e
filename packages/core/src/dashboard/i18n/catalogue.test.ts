import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../domain/language';
import { ERROR_CODES } from '../../errors';
import { en, type MessageKey } from './en';
import { CATALOGUES, placeholders } from './translate';

const KEYS = Object.keys(en) as MessageKey[];

describe.each(LANGUAGES)('the %s catalogue', (lang) => {
  const catalogue = CATALOGUES[lang];

  it('has a text for every key of the English one, and no other key', () => {
    expect(Object.keys(catalogue).sort()).toEqual([...KEYS].sort());
    const empty = KEYS.filter((k) => typeof catalogue[k] !== 'string' || catalogue[k].trim() === '');
    expect(empty).toEqual([]);
  });

  it('puts in the same values as the English text, each key', () => {
    const differ = KEYS.filter((k) => placeholders(catalogue[k]).join() !== placeholders(en[k]).join());
    expect(differ).toEqual([]);
  });
});

it('gives every count both plural forms, and every error code its sentence', () => {
  const ones = KEYS.filter((k) => /^count\.\w+\.one$/.test(k));
  expect(ones.length).toBeGreaterThan(0);
  for (const one of ones) expect(KEYS).toContain(one.replace(/one$/, 'other'));
  for (const code of Object.keys(ERROR_CODES)) expect(KEYS).toContain(`error.${code}`);
});

it('says a Swahili thing differently from the English one, but for names and technical words', () => {
  const same = KEYS.filter((k) => CATALOGUES.sw[k] === en[k]);
  expect(same).toEqual(['language.en', 'language.sw', 'nav.webhooks', 'source.api']);
});
