/**
 * Tanzanian mobile operators by the first two digits of the national significant number
 * (+255 7x…, +255 6x…). Yas (formerly Tigo) absorbed Zantel's 77 range.
 */
const TZ_OPERATORS: Record<string, string> = {
  '61': 'halotel',
  '62': 'halotel',
  '65': 'yas',
  '66': 'smile',
  '67': 'yas',
  '68': 'airtel',
  '69': 'airtel',
  '71': 'yas',
  '73': 'ttcl',
  '74': 'vodacom',
  '75': 'vodacom',
  '76': 'vodacom',
  '77': 'yas',
  '78': 'airtel',
  '79': 'vodacom',
};

/** The operator of an E.164 number, when it is a Tanzanian mobile range we know; else null. */
export function operatorOf(e164: string): string | null {
  if (!e164.startsWith('+255')) return null;
  return TZ_OPERATORS[e164.slice(4, 6)] ?? null;
}
