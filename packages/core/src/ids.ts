const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random bytes are drawn from Web Crypto in blocks: one call per ~60 ids instead of one per id. */
const POOL = new Uint8Array(2048);
let cursor = POOL.length;

function randomByte(): number {
  if (cursor === POOL.length) {
    crypto.getRandomValues(POOL);
    cursor = 0;
  }
  return POOL[cursor++]!;
}

/** `length` random base62 characters (about 5.95 bits each), uniform by rejection sampling. */
export function randomToken(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    if (b < 248) out += ALPHABET[b % 62]; // 248 = 4 × 62
  }
  return out;
}

export type IdKind = 'msg' | 'rcp' | 'acc' | 'key' | 'ct' | 'seg' | 'led';

/** A public id with a type prefix: `msg_…`, `acc_…`; 20 base62 characters (≈119 bits). */
export function newId(kind: IdKind): string {
  return `${kind}_${randomToken(20)}`;
}
