import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { GatewayError } from '../errors';
import type { OperatorLookup } from './operators';

export interface PhoneOptions {
  defaultRegion: string;
  /** Also require the number to be valid in its country's numbering plan, not just of a possible length. */
  strict: boolean;
  /** The operator of a normalised number (`operatorTable`); without it, operators are null. */
  operatorOf?: OperatorLookup | undefined;
}

export type PhoneResult =
  | { ok: true; e164: string; operator: string | null }
  | { ok: false; input: string; reason: string };

const PHONE_CHARS = /^\+?[0-9 ().-]+$/;

/**
 * Normalises a phone number to E.164. National forms (`0712…`) and international ones without
 * the plus (`255712…`) are read in `defaultRegion`. Only the format is checked unless `strict`.
 */
export function normalizePhone(input: string, options: PhoneOptions): PhoneResult {
  const text = input.trim();
  if (!PHONE_CHARS.test(text))
    return { ok: false, input, reason: 'only digits, spaces and a leading + are allowed' };
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: options.defaultRegion as CountryCode });
  if (!parsed) return { ok: false, input, reason: 'not a phone number, or an unknown country code' };
  if (!parsed.isPossible()) return { ok: false, input, reason: 'wrong length for its country' };
  if (options.strict && !parsed.isValid())
    return { ok: false, input, reason: 'not in its country numbering plan' };
  return { ok: true, e164: parsed.number, operator: options.operatorOf?.(parsed.number) ?? null };
}

/** The digits a number search looks for: separators, a leading + and leading zeros dropped (`0754 1` → `7541`). */
export const searchDigits = (text: string) => text.replace(/[\s().-]/g, '').replace(/^(\+|0+)/, '');

/** A short code: 3 to 8 digits, kept as they are. */
const SHORT_CODE = /^\d{3,8}$/;

/**
 * A number the gateway receives on (or a subscriber sends from), as numbers are kept: a short code of
 * 3–8 digits as its digits, anything else as E.164 read in `defaultRegion`; null when it is neither.
 */
/** A `phone_number` field in E.164, or INVALID_PHONE naming what was given and why. */
export function phoneNumberField(phoneNumber: string, options: PhoneOptions): string {
  const phone = normalizePhone(phoneNumber, options);
  if (!phone.ok)
    throw new GatewayError('INVALID_PHONE', 'phone_number is not a valid phone number', {
      invalid: [{ input: phone.input, reason: phone.reason }],
    });
  return phone.e164;
}

export function normalizeServiceNumber(input: string, defaultRegion: string): string | null {
  const text = input.trim();
  if (SHORT_CODE.test(text)) return text;
  const r = normalizePhone(text, { defaultRegion, strict: false });
  return r.ok ? r.e164 : null;
}
