const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` random base62 characters from Web Crypto (about 5.95 bits each). */
export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
  let out = '';
  for (let i = 0; out.length < length; i++) {
    if (i >= bytes.length) return out + randomToken(length - out.length);
    const b = bytes[i]!;
    if (b < 248) out += ALPHABET[b % 62]; // 248 = 4 * 62: rejection keeps the distribution uniform
  }
  return out;
}

export type IdKind = 'msg' | 'rcp' | 'acc' | 'key' | 'ct' | 'seg' | 'led';

/** A public id with a type prefix: `msg_…`, `acc_…`; 20 base62 characters (≈119 bits). */
export function newId(kind: IdKind): string {
  return `${kind}_${randomToken(20)}`;
}
