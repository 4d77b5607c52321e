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

export type IdKind =
  | 'msg'
  | 'rcp'
  | 'acc'
  | 'key'
  | 'ct'
  | 'seg'
  | 'led'
  | 'in'
  | 'wh'
  | 'act'
  | 'cmp'
  | 'pau'
  | 'num'
  | 'cns';

/** Milliseconds since the epoch in 8 base62 digits (good until the year 8888): ids sort by creation time. */
function timePrefix(ms: number): string {
  let out = '';
  for (let i = 0, n = ms; i < 8; i++, n = Math.floor(n / 62)) out = ALPHABET[n % 62] + out;
  return out;
}

/**
 * A public id with a type prefix: `msg_` + 8 characters of time + 14 random (≈83 bits). Ids made later
 * sort later, so inserts land at the end of the primary key index instead of at random pages.
 */
export function newId(kind: IdKind, now = Date.now()): string {
  return `${kind}_${timePrefix(now)}${randomToken(14)}`;
}
