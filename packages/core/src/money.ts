/** Money is stored in integer minor units (1/100 of the currency unit); the API speaks major units. */
const MINOR_PER_MAJOR = 100;

export function toMinor(major: number): number {
  return Math.round(major * MINOR_PER_MAJOR);
}

export function toMajor(minor: number): number {
  return minor / MINOR_PER_MAJOR;
}

/** A finite amount with at most two decimals. */
export function isAmount(major: number): boolean {
  return (
    Number.isFinite(major) && Math.abs(major * MINOR_PER_MAJOR - Math.round(major * MINOR_PER_MAJOR)) < 1e-6
  );
}
