import { describe, expect, it } from 'vitest';
import { unsafeFields, unsafeText } from './safe-text';

describe('unsafeText', () => {
  it.each([
    ['Habari', null],
    ['emoji 😀 and ž', null],
    ['a\u0000b', 'contains U+0000 (NUL) at position 1, which cannot be stored'],
    ['x\uD83D', 'contains an unpaired UTF-16 surrogate at position 1, which cannot be encoded'],
    ['\uDE00y', 'contains an unpaired UTF-16 surrogate at position 0, which cannot be encoded'],
  ])('%j → %s', (text, expected) => {
    expect(unsafeText(text)).toBe(expected);
  });
});

describe('unsafeFields', () => {
  it('names each bad string by its path, keys included', () => {
    const body = {
      message: 'ok',
      recipients: ['+255', 'a\u0000'],
      criteria: { tags: ['\uD800'] },
      'k\u0000': 1,
    };
    expect(unsafeFields(body).map((f) => f.field)).toEqual(['recipients.1', 'criteria.tags.0', 'k\u0000']);
    expect(unsafeFields({ n: 1, b: true, z: null })).toEqual([]);
  });
});

describe('unsafeFields over deep input', () => {
  it('walks 100,000 levels without running out of stack, naming the path', () => {
    let value: unknown = ['ok', 'a\u0000'];
    for (let i = 0; i < 100_000; i++) value = i % 2 ? [value] : { k: value };
    const found = unsafeFields(value);
    expect(found).toHaveLength(1);
    expect(found[0]!.field.split('.')).toHaveLength(100_001);
    expect(found[0]!.field.endsWith('.k.0.k.1')).toBe(true);
  });
});
