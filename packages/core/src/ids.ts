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

/** `digits` (base62) plus `step`, carried leftwards; null when it would not fit in as many digits. */
function plus(digits: string, step: number): string | null {
  const out = [...digits];
  let carry = step;
  for (let i = out.length - 1; i >= 0 && carry > 0; i--) {
    const sum = ALPHABET.indexOf(out[i]!) + carry;
    out[i] = ALPHABET[sum % 62]!;
    carry = Math.floor(sum / 62);
  }
  return carry > 0 ? null : out.join('');
}

/** The latest id's millisecond and random part, so that ids made in one millisecond count up. */
let latest = { ms: -1, random: '' };

/**
 * A public id with a type prefix: `msg_` + 8 characters of time + 14 random (≈83 bits). Ids made later
 * sort later, so inserts land at the end of the primary key index instead of at random pages; within
 * one millisecond the random part goes up by a random step, so ids made one after the other in a
 * process sort in that order (an opt-out then its opt-in, listed by time then id).
 */
export function newId(kind: IdKind, now = Date.now()): string {
  const random = (now === latest.ms && plus(latest.random, 1 + (randomByte() << 4))) || randomToken(14);
  latest = { ms: now, random };
  return `${kind}_${timePrefix(now)}${random}`;
}
