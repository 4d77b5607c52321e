import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../errors';
import { parseTemplate, templateValues } from './message-template';

describe('message templates', () => {
  const asha = templateValues({ name: 'Asha Mushi Juma', phone: '+255754000111', email: null });

  it('fills fields, falls back to defaults for missing or empty values, keeps escaped braces', () => {
    const t = parseTemplate(
      'Habari {first_name|mteja} {last_name}! {{kodi}} {email|hakuna barua} {phone_number}',
    );
    expect(t.fields).toEqual(['first_name', 'last_name', 'email', 'phone_number']);
    expect(t.render(asha)).toBe('Habari Asha Mushi Juma! {kodi} hakuna barua +255754000111');
    expect(t.render({ first_name: '  ', phone_number: '+255754000112' })).toBe(
      'Habari mteja ! {kodi} hakuna barua +255754000112',
    );
    expect(t.allDefaulted).toBe(false); // {last_name} has no default
    expect(parseTemplate('Asante {name|mteja}, {phone_number}').allDefaulted).toBe(true);
    expect(parseTemplate('No placeholders').render({})).toBe('No placeholders');
  });

  it('refuses unknown fields and lone braces, naming them', () => {
    const unknown = (() => {
      try {
        parseTemplate('Habari {jina} {city|Dar}');
      } catch (e) {
        return e as GatewayError;
      }
    })();
    expect(unknown?.code).toBe('VALIDATION_ERROR');
    expect(unknown?.details).toEqual([
      { field: 'message', message: expect.stringContaining('has unknown placeholder {jina}, {city}:') },
    ]);
    expect(() => parseTemplate('50% {off')).toThrow(/lone/);
    expect(() => parseTemplate('bei } ya')).toThrow(/lone/);
  });

  it('splits a one-word name into a first name and no last name', () => {
    expect(templateValues({ name: 'Neema', phone: '+255754000113', email: 'n@example.co.tz' })).toEqual({
      name: 'Neema',
      first_name: 'Neema',
      last_name: '',
      phone_number: '+255754000113',
      email: 'n@example.co.tz',
    });
  });
});
