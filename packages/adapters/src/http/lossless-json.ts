/** A JSON number token: `-`, digits, fraction, exponent. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * JSON as `JSON.parse` reads it, except that a number JS would not give back as written (an id above
 * 2^53 such as 9007199254740993, `1.50`, `1e3`) is kept as its text, a string: carriers' ids are never
 * rounded. Numbers that survive the round trip (`100`, `0`, `-1`) stay numbers. Throws as `JSON.parse`
 * does on text that is not JSON.
 */
export function parseJsonLossless(text: string): unknown {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22 /* " */) {
      // Past the string, escapes included.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
    } else if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
      NUMBER.lastIndex = i;
      const token = NUMBER.exec(text)?.[0];
      if (!token) return JSON.parse(text); // not JSON: let JSON.parse say where
      if (String(Number(token)) !== token) {
        out += `${text.slice(from, i)}"${token}"`;
        from = i + token.length;
      }
      i += token.length;
    } else i++;
  }
  return JSON.parse(from === 0 ? text : out + text.slice(from));
}
