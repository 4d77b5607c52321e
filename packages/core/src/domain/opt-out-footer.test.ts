import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../encoding';
import {
  DEFAULT_OPT_OUT_FOOTER,
  DEFAULT_REPLIES,
  footerProblem,
  renderFooter,
  renderReply,
  replyProblem,
  withFooter,
} from './opt-out-footer';

describe('rendering the footer', () => {
  it('names the account’s own number, the empty keyword closing up', () => {
    expect(renderFooter(DEFAULT_OPT_OUT_FOOTER, { number: '15678', keyword: null })).toBe(
      'Kusitisha tuma ACHA kwenda 15678',
    );
    expect(renderFooter(DEFAULT_OPT_OUT_FOOTER, { number: '+255754000111', keyword: null })).toBe(
      'Kusitisha tuma ACHA kwenda +255754000111',
    );
  });

  it('puts the keyword before ACHA on a shared short code', () => {
    expect(renderFooter(DEFAULT_OPT_OUT_FOOTER, { number: '15678', keyword: 'DUKA' })).toBe(
      'Kusitisha tuma DUKA ACHA kwenda 15678',
    );
  });

  it('a keyword at the start or end of a template closes up too', () => {
    expect(renderFooter('{keyword} STOP to {number}', { number: '15678', keyword: null })).toBe(
      'STOP to 15678',
    );
    expect(renderFooter('To {number}: STOP {keyword}', { number: '15678', keyword: null })).toBe(
      'To 15678: STOP',
    );
    expect(renderFooter('{keyword} STOP to {number}', { number: '15678', keyword: 'DUKA' })).toBe(
      'DUKA STOP to 15678',
    );
  });

  it('refuses a template without {keyword} for a route that needs one', () => {
    expect(renderFooter('STOP to {number}', { number: '15678', keyword: 'DUKA' })).toBeNull();
    expect(renderFooter('STOP to {number}', { number: '15678', keyword: null })).toBe('STOP to 15678');
  });

  it('the default footer is GSM-7, so it never makes a message UCS-2', () => {
    const footer = renderFooter(DEFAULT_OPT_OUT_FOOTER, { number: '15678', keyword: 'DUKA' })!;
    expect(analyzeMessage(footer).encoding).toBe('GSM-7');
  });
});

describe('appending the footer', () => {
  const footer = 'Kusitisha tuma ACHA kwenda 15678';

  it('on a line of its own', () => {
    expect(withFooter('Punguzo 20% leo!', footer)).toBe(`Punguzo 20% leo!\n${footer}`);
  });

  it('drops trailing white space before it', () => {
    expect(withFooter('Punguzo leo!  \n', footer)).toBe(`Punguzo leo!\n${footer}`);
  });

  it('not twice', () => {
    const once = withFooter('Punguzo leo!', footer);
    expect(withFooter(once, footer)).toBe(once);
    expect(withFooter(`Punguzo leo! ${footer}`, footer)).toBe(`Punguzo leo! ${footer}`);
    expect(withFooter(`${once}\n`, footer)).toBe(`${once}\n`);
  });

  it('an empty text is the footer alone', () => {
    expect(withFooter('', footer)).toBe(footer);
  });

  it('costs the footer and one character more: 127 + 1 + 32 fills one segment of 160', () => {
    const text = 'a'.repeat(127);
    expect(analyzeMessage(withFooter(text, footer)).units).toBe(127 + 1 + footer.length);
    expect(analyzeMessage(withFooter(text, footer)).segments).toBe(1);
    expect(analyzeMessage(withFooter(`${text}a`, footer)).segments).toBe(2);
  });
});

describe('checking templates', () => {
  it('a footer needs {number}', () => {
    expect(footerProblem(DEFAULT_OPT_OUT_FOOTER)).toBeNull();
    expect(footerProblem('Kusitisha tuma ACHA kwenda {number}')).toBeNull();
    expect(footerProblem('Kusitisha tuma ACHA')).toBe(
      'must contain {number}, where to send the opt-out keyword',
    );
  });

  it('refuses unknown placeholders, empty and overlong templates', () => {
    expect(footerProblem('STOP to {namba}')).toBe(
      'has an unknown placeholder {namba}; it may use {number}, {keyword}',
    );
    expect(footerProblem('  ')).toBe('must not be empty');
    expect(footerProblem(`${'x'.repeat(72)} {number}`)).toBe('must be at most 80 characters');
    expect(replyProblem('Bye from {number}')).toBe(
      'has an unknown placeholder {number}; it may use {sender}',
    );
    expect(replyProblem('x'.repeat(301))).toBe('must be at most 300 characters');
    expect(replyProblem('Kwaheri')).toBeNull();
  });
});

describe('the default replies', () => {
  it.each(Object.entries(DEFAULT_REPLIES))(
    '%s is valid, bilingual, and one GSM-7 segment',
    (_name, reply) => {
      expect(replyProblem(reply)).toBeNull();
      const rendered = renderReply(reply, 'ABCDEFGHIJK'); // the longest alphanumeric sender ID
      expect(rendered).not.toContain('{');
      expect(analyzeMessage(rendered)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      expect(rendered).toContain(' / ');
    },
  );

  it('fill in the sender', () => {
    expect(renderReply(DEFAULT_REPLIES.optOutReply, 'DUKA')).toBe(
      'Umeondolewa kwenye ujumbe wa DUKA. Tuma ANZA kujiunga tena. / You are unsubscribed from DUKA. Reply START to rejoin.',
    );
  });
});
