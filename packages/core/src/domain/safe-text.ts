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

/** Where a value sits in the value being checked: its name, and the path of what holds it. */
interface Path {
  name: string;
  up: Path | null;
}

function fieldName(path: Path | null): string {
  const names: string[] = [];
  for (let p = path; p; p = p.up) names.push(p.name);
  return names.reverse().join('.') || '(body)';
}

/**
 * Every string in a parsed JSON value (object keys included) that cannot be stored or sent, as
 * `{ field, message }` with the field's path (`recipients.2`, `criteria.tags.0`), in document order.
 * Walks with a stack of its own, not the call stack, so no depth of input can overflow it.
 */
export function unsafeFields(value: unknown): { field: string; message: string }[] {
  const found: { field: string; message: string }[] = [];
  // A key to check (`key`) or a value to walk; popped last-pushed first, so children are pushed in reverse.
  const stack: { value: unknown; path: Path | null; key?: true }[] = [{ value, path: null }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { value: v, path } = item;
    if (typeof v === 'string') {
      const why = unsafeText(v);
      if (why !== null) found.push({ field: fieldName(path), message: item.key ? `its name ${why}` : why });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        stack.push({ value: v[i], path: { name: String(i), up: path } });
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [name, child] = entries[i]!;
        const here = { name, up: path };
        stack.push({ value: child, path: here }, { value: name, path: here, key: true });
      }
    }
  }
  return found;
}
