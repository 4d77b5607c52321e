import { randomToken } from '../ids';
import { sha256Hex } from '../sha256';

export const PERMISSIONS = ['read', 'write', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const KEY_PREFIX = 'mk_live_';
/** Characters of a key kept in clear, so users can tell their keys apart. */
const VISIBLE = 12;

/** A new API key: `mk_live_` and 40 base62 characters (≈238 random bits). */
export function generateApiKey(): string {
  return KEY_PREFIX + randomToken(40);
}

/** The form of the keys `generateApiKey` makes, for a key given in configuration. */
export const API_KEY_FORM =
  '`mk_`, a lower-case label and `_` (as in `mk_live_`), then 16 to 128 letters and digits (the gateway makes 40)';

/**
 * Whether `key` has the form of the gateway's keys (`mk_<label>_` and letters and digits), long enough
 * to be as hard to guess as a random 95-bit value at least: 16 characters.
 */
export const isApiKeyForm = (key: string) => /^mk_[a-z]{1,16}_[0-9A-Za-z]{16,128}$/.test(key);

export const visiblePrefix = (key: string) => key.slice(0, VISIBLE);

/** SHA-256 of the key, hex: what is stored and looked up. */
export const hashApiKey = (key: string): Promise<string> => sha256Hex(key);

/** Compares two strings in time that depends only on their length. */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export function parsePermissions(stored: string): Permission[] {
  return stored.split(',').filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p));
}

/** `admin` grants everything; otherwise the exact permission is needed. */
export const grants = (held: readonly Permission[], needed: Permission) =>
  held.includes('admin') || held.includes(needed);
