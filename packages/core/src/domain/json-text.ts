import { GatewayError } from '../errors';

/**
 * How deep a request's JSON may nest (objects and arrays counted together; `{"a":[1]}` is 2). The
 * deepest body the API takes is 3 levels; deeper is refused before it is parsed or walked.
 */
export const MAX_JSON_DEPTH = 32;

/** What a scan of JSON text found: its deepest nesting, and how many elements its top-level array has. */
export interface JsonShape {
  depth: number;
  /** 0 when the top-level value is not an array. */
  items: number;
}

const [QUOTE, BACKSLASH, COMMA] = [0x22, 0x5c, 0x2c];
const [OPEN_ARRAY, CLOSE_ARRAY, OPEN_OBJECT, CLOSE_OBJECT] = [0x5b, 0x5d, 0x7b, 0x7d];
const isBlank = (ch: number) => ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;

/**
 * Measures JSON text in one pass without building anything (strings, escapes included, are skipped,
 * so a bracket inside one does not count). Stops as soon as the depth passes `MAX_JSON_DEPTH` or the
 * top-level array passes `maxItems` elements, so what it answers is at most one over either bound.
 * Malformed text is measured as far as it goes; `JSON.parse` judges it.
 */
export function jsonShape(text: string, maxItems = Number.POSITIVE_INFINITY): JsonShape {
  let depth = 0;
  let deepest = 0;
  let items = 0;
  let inArray = false; // the top-level value is an array
  let awaiting = false; // in the top-level array, just after `[` or `,`: what comes next starts an element
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (isBlank(ch)) continue;
    if (awaiting) {
      awaiting = false;
      if (ch !== CLOSE_ARRAY && ++items > maxItems) break;
    }
    if (ch === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++)
        if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (ch === OPEN_ARRAY || ch === OPEN_OBJECT) {
      if (depth === 0 && ch === OPEN_ARRAY) {
        inArray = true;
        awaiting = true;
      }
      depth++;
      deepest = Math.max(deepest, depth);
      if (deepest > MAX_JSON_DEPTH) break;
    } else if (ch === CLOSE_ARRAY || ch === CLOSE_OBJECT) depth--;
    else if (ch === COMMA && depth === 1 && inArray) awaiting = true;
  }
  return { depth: deepest, items };
}

/**
 * Request text as a JSON value: VALIDATION_ERROR when it nests deeper than `MAX_JSON_DEPTH` (found
 * by `jsonShape`, before anything is built), INVALID_JSON when it is not JSON. `shape` is the scan
 * the caller already made, if any.
 */
export function parseJsonText(text: string, shape: JsonShape = jsonShape(text)): unknown {
  if (shape.depth > MAX_JSON_DEPTH)
    throw new GatewayError(
      'VALIDATION_ERROR',
      `The request body nests deeper than ${MAX_JSON_DEPTH} levels`,
      [{ field: '(body)', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
    );
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GatewayError('INVALID_JSON', 'The request body is not valid JSON', [
      { field: '(body)', message: (e as Error).message },
    ]);
  }
}
