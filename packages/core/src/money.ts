/** Money is stored in integer minor units (1/100 of the currency unit); the API speaks major units. */
const MINOR_PER_MAJOR = 100;

export function toMinor(major: number): number {
  return Math.round(major * MINOR_PER_MAJOR);
}

export function toMajor(minor: number): number {
  return minor / MINOR_PER_MAJOR;
}

/**
 * The largest balance (and so the largest amount) in minor units: 10^15, far inside the integers that
 * every engine and a JavaScript number hold exactly (2^53), with room for sums of a few of them.
 */
export const MAX_MINOR = 10 ** 15;
export const MAX_MAJOR = MAX_MINOR / MINOR_PER_MAJOR;

/** A finite amount with at most two decimals, no larger than `MAX_MAJOR` either way. */
export function isAmount(major: number): boolean {
  return (
    Number.isFinite(major) &&
    Math.abs(major) <= MAX_MAJOR &&
    Math.abs(major * MINOR_PER_MAJOR - Math.round(major * MINOR_PER_MAJOR)) < 1e-6
  );
}
