/** U+0000 (PostgreSQL text cannot hold it) or half of a surrogate pair (no UTF-8 or SMS encoding can carry it). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding U+0000 is the point
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

/** The text with every NUL and unpaired surrogate replaced by U+FFFD: for what a carrier pushes, which cannot be refused. */
export const replaceUnsafe = (text: string): string => text.replace(UNSAFE_ALL, '\uFFFD');

/** Why a text cannot be stored or sent as it is, or null when it can. */
export function unsafeText(text: string): string | null {
  const m = UNSAFE.exec(text);
  if (!m) return null;
  return m[0] === '\u0000'
    ? `contains U+0000 (NUL) at position ${m.index}, which cannot be stored`
    : `contains an unpaired UTF-16 surrogate at position ${m.index}, which cannot be encoded`;
}

/**
 * Every string in a parsed JSON value (object keys included) that cannot be stored or sent, as
 * `{ field, message }` with the field's path (`recipients.2`, `criteria.tags.0`).
 */
export function unsafeFields(value: unknown, path: string[] = []): { field: string; message: string }[] {
  if (typeof value === 'string') {
    const why = unsafeText(value);
    return why === null ? [] : [{ field: path.join('.') || '(body)', message: why }];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => unsafeFields(v, [...path, String(i)]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => {
      const key = unsafeText(k);
      const here = [...path, k];
      return [
        ...(key === null ? [] : [{ field: here.join('.'), message: `its name ${key}` }]),
        ...unsafeFields(v, here),
      ];
    });
  return [];
}
