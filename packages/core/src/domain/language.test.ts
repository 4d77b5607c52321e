import { describe, expect, it } from 'vitest';
import { isLanguage, preferredLanguage } from './language';

describe('preferredLanguage', () => {
  it('picks the first of our languages by weight, then by order', () => {
    expect(preferredLanguage('sw-TZ,sw;q=0.9,en;q=0.8')).toBe('sw');
    expect(preferredLanguage('en-GB,en;q=0.9,sw;q=0.8')).toBe('en');
    expect(preferredLanguage('fr;q=1, sw;q=0.5, en;q=0.7')).toBe('en');
    expect(preferredLanguage('fr, SW')).toBe('sw');
  });

  it('answers null when the header names none of them, or refuses them all', () => {
    expect(preferredLanguage(undefined)).toBeNull();
    expect(preferredLanguage('')).toBeNull();
    expect(preferredLanguage('fr-FR,de;q=0.5')).toBeNull();
    expect(preferredLanguage('sw;q=0, en;q=0')).toBeNull();
    expect(preferredLanguage('*')).toBeNull();
  });
});

it('knows its languages', () => {
  expect(isLanguage('sw')).toBe(true);
  expect(isLanguage('SW')).toBe(false);
  expect(isLanguage(undefined)).toBe(false);
});
