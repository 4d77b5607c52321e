import { describe, expect, it } from 'vitest';
import { operatorNames, operatorTable } from './operators';

describe('operatorTable', () => {
  const builtIn = operatorTable();
  it.each([
    ['+255612345678', 'halotel'],
    ['+255632345678', 'halotel'],
    ['+255652345678', 'yas'],
    ['+255702345678', 'yas'],
    ['+255772345678', 'yas'],
    ['+255662345678', 'airtel'],
    ['+255782345678', 'airtel'],
    ['+255722345678', 'vodacom'],
    ['+255792345678', 'vodacom'],
    ['+255732345678', 'ttcl'],
    ['+255642345678', null],
    ['+254712345678', null],
  ])('%s is %s', (phone, operator) => {
    expect(builtIn(phone)).toBe(operator);
  });

  it('overrides replace entries and the longest prefix wins', () => {
    const lookup = operatorTable({ '+25566': 'smile', '+2557544': 'ported', '+254': 'kenya' });
    expect(lookup('+255662345678')).toBe('smile');
    expect(lookup('+255754412345')).toBe('ported');
    expect(lookup('+255754512345')).toBe('vodacom');
    expect(lookup('+254712345678')).toBe('kenya');
  });
});

describe('operatorNames', () => {
  it('names each operator of the built-in table once, and those the overrides add, sorted', () => {
    expect(operatorNames()).toEqual(['airtel', 'halotel', 'ttcl', 'vodacom', 'yas']);
    expect(operatorNames({ '+2557544': 'smile', '+25566': 'airtel' })).toEqual([
      'airtel',
      'halotel',
      'smile',
      'ttcl',
      'vodacom',
      'yas',
    ]);
  });
});
