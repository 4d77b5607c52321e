import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors';
import { jsonShape, MAX_JSON_DEPTH, parseJsonText } from './json-text';

describe('jsonShape', () => {
  it.each([
    ['1', 0, 0],
    ['"[[["', 0, 0],
    ['{}', 1, 0],
    ['{"a":[1,{"b":[]}]}', 4, 0],
    ['[]', 1, 0],
    [' [ ] ', 1, 0],
    ['[1]', 1, 1],
    ['[1, "a,b", [2, 3], {"c": [4, 5]}, null]', 3, 5],
    ['["\\"]", "\\\\", "]"]', 1, 3],
    ['[{"a":"}}}]]],,,"}, {"b":"\\"[[["}]', 2, 2],
  ])('%s: depth %i, %i elements', (text, depth, items) => {
    expect(jsonShape(text)).toEqual({ depth, items });
    expect(JSON.parse(text)).toBeDefined();
  });

  it('stops one level past the bound, however deep the text goes', () => {
    expect(jsonShape('['.repeat(1_000_000))).toEqual({ depth: MAX_JSON_DEPTH + 1, items: 1 });
    expect(jsonShape(`{"a":${'{"a":'.repeat(MAX_JSON_DEPTH - 1)}1${'}'.repeat(MAX_JSON_DEPTH)}`)).toEqual({
      depth: MAX_JSON_DEPTH,
      items: 0,
    });
  });

  it('stops counting one element past maxItems, and reads nothing after it', () => {
    // What follows the element that passes the limit is not JSON, and deeper than the bound: never reached.
    const text = `[${'1,'.repeat(10)}1, ${'['.repeat(100)}`;
    expect(jsonShape(text, 10)).toEqual({ depth: 1, items: 11 });
    expect(jsonShape('[{"a":1},{"a":[2,3]}]', 2)).toEqual({ depth: 3, items: 2 });
  });
});

describe('parseJsonText', () => {
  it('parses JSON at the bound', () => {
    const text = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`;
    expect(parseJsonText(text)).toBeInstanceOf(Array);
  });

  it('refuses deeper nesting before parsing, with the bound in { field, message }', () => {
    const e = (() => {
      try {
        parseJsonText(`${'['.repeat(100_000)}oops`);
      } catch (x) {
        return x as GatewayError;
      }
    })();
    expect(e).toBeInstanceOf(GatewayError);
    expect(e?.code).toBe('VALIDATION_ERROR');
    expect(e?.details).toEqual([{ field: '(body)', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  });

  it('answers INVALID_JSON for text that is not JSON', () => {
    expect(() => parseJsonText('{"a":')).toThrow(expect.objectContaining({ code: 'INVALID_JSON' }));
  });
});
